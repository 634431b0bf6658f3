namespace RnnGen.Shared;

/// <summary>
/// Keras's <c>Dot</c> merge on RnnGen's tensors, one rule for the generator, the runtime and <c>rnngen inspect</c>
/// (<c>keras/src/layers/merging/dot.py</c>, <c>batch_dot</c>). A tensor is a vector <c>(batch, width)</c> (timesteps
/// 0) or a sequence <c>(batch, timesteps, width)</c>; Keras counts the batch axis as 0, so a vector's features are
/// axis 1 and a sequence's time and feature axes are 1 and 2 (negative axes count from the end). The output is the
/// first tensor's shape without its dot axis followed by the second's without its batch and dot axes, and
/// <c>(batch, 1)</c> when nothing else is left: two vectors give one value, a sequence and a vector a vector of the
/// sequence's other axis, two sequences a sequence.
/// </summary>
internal static class DotShapes
{
    /// <summary>
    /// Resolves Keras <c>axes</c> (one value for both tensors or one each) for tensors <paramref name="x"/> and
    /// <paramref name="y"/>. Returns null and sets each tensor's <c>OverTime</c> (whether its dot axis is the time
    /// axis) and the output shape, or returns why the axes do not apply.
    /// </summary>
    public static string? Resolve(int[] axes, (int Timesteps, int Width) x, (int Timesteps, int Width) y,
        out bool xOverTime, out bool yOverTime, out (int Timesteps, int Width) output)
    {
        xOverTime = yOverTime = false;
        output = (0, 1);
        if (axes.Length is not (1 or 2))
        {
            return $"Axes takes one axis for both tensors or one each, but {axes.Length} are given";
        }

        string? problem = Axis(axes[0], x, "first", out xOverTime) ?? Axis(axes[axes.Length - 1], y, "second", out yOverTime);
        if (problem is not null)
        {
            return problem;
        }

        int xSize = xOverTime ? x.Timesteps : x.Width;
        int ySize = yOverTime ? y.Timesteps : y.Width;
        if (xSize != ySize)
        {
            return $"the dot axes do not have one size: the first tensor's {(xOverTime ? "time" : "feature")} axis has {xSize} and the second's {(yOverTime ? "time" : "feature")} axis has {ySize}";
        }

        int? xFree = x.Timesteps == 0 ? null : xOverTime ? x.Width : x.Timesteps;
        int? yFree = y.Timesteps == 0 ? null : yOverTime ? y.Width : y.Timesteps;
        output = (xFree, yFree) switch
        {
            (int rows, int columns) => (rows, columns),
            (int only, null) => (0, only),
            (null, int only) => (0, only),
            _ => (0, 1),
        };
        return null;
    }

    /// <summary>Keras's axes as written for a tensor: 1 (features of a vector, time of a sequence), 2 (features of a sequence), or negative.</summary>
    private static string? Axis(int axis, (int Timesteps, int Width) tensor, string which, out bool overTime)
    {
        int rank = tensor.Timesteps == 0 ? 2 : 3;
        int resolved = axis < 0 ? axis + rank : axis;
        overTime = rank == 3 && resolved == 1;
        return resolved <= 0 || resolved >= rank
            ? $"axis {axis} is {(resolved == 0 ? "the batch axis" : "not an axis")} of the {which} tensor, a {(rank == 2 ? "vector (batch, width)" : "sequence (batch, timesteps, width)")}; Dot sums over axis 1 or {rank - 1}{(rank == 3 ? " (time or features)" : string.Empty)}, or -1"
            : null;
    }
}
