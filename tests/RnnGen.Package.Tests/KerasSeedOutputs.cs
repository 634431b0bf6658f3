using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Package.Tests;

/// <summary>
/// What Keras printed for the seed notebook's <c>Bidirectional(LSTM(3, return_state=True))</c> with kernel, recurrent
/// kernel and bias initialised to 0.1, 0.1 and 0, on train_X (1, 4, 5): <c>hidden_states, forward_h, forward_c,
/// backward_h, backward_c = bilstm(train_X)</c>. Copied from the notebook (shared/seeds), not computed by RnnGen.
/// </summary>
internal static class KerasSeedOutputs
{
    public static readonly float[] ForwardH = Three(0.6303139f);
    public static readonly float[] ForwardC = Three(1.5707088f);
    public static readonly float[] BackwardH = Three(0.70387346f);
    public static readonly float[] BackwardC = Three(1.6402447f);

    /// <summary>hidden_states: merge_mode "concat" of the two final outputs.</summary>
    public static readonly float[] Output = ForwardH.Concat(BackwardH).ToArray();

    /// <summary>The outputs in Keras call order, by the names Keras gives them.</summary>
    public static readonly (string Name, float[] Values)[] InCallOrder =
    {
        ("output", Output), ("forward_h", ForwardH), ("forward_c", ForwardC), ("backward_h", BackwardH), ("backward_c", BackwardC),
    };

    /// <summary>
    /// Keras's <c>model.count_params()</c> for this layer: 2 directions x 4 gates x 3 units x (5 inputs + 3 recurrent
    /// + 1 bias) = 216.
    /// </summary>
    public const int ParameterCount = 2 * 4 * 3 * (5 + 3 + 1);

    /// <summary>
    /// Checks every output the consumer app printed (see Consumer/Program.cs) against Keras. The tolerance, 1e-6, is
    /// the one of the numerics suite's seed tests: Keras prints float32 values rounded to their shortest round-trip
    /// form, and a different order of the same float32 sums may move the last of their ~7 significant digits.
    /// </summary>
    public static void AssertPrintedByConsumer(IReadOnlyList<(string Name, float[] Values)> printed, string log)
    {
        AssertClose(Output, Find(printed, "forward.Result", log), "forward.Result", log);
        AssertClose(ForwardH, Find(printed, "forward.ForwardStateH", log), "forward.ForwardStateH", log);
        AssertClose(ForwardC, Find(printed, "forward.ForwardStateC", log), "forward.ForwardStateC", log);
        AssertClose(BackwardH, Find(printed, "forward.BackwardStateH", log), "forward.BackwardStateH", log);
        AssertClose(BackwardC, Find(printed, "forward.BackwardStateC", log), "forward.BackwardStateC", log);

        // Predict returns every output in Keras call order, named as Keras names them.
        var predicted = printed.Where(p => p.Name.StartsWith("predict.", StringComparison.Ordinal)).ToList();
        Assert.Equal(InCallOrder.Select(o => "predict." + o.Name), predicted.Select(p => p.Name));
        foreach (var (name, values) in InCallOrder)
        {
            AssertClose(values, Find(printed, "predict." + name, log), "predict." + name, log);
        }

        // Zero weights give h = 0 exactly (all gates 0.5, candidate tanh(0) = 0); restoring the weights gives Keras's.
        float[] zeroed = Find(printed, "zeroed.Result", log);
        Assert.True(zeroed.Length == Output.Length && zeroed.All(v => v == 0f), "zeroed.Result: " + string.Join(" ", zeroed) + "\n" + log);
        AssertClose(Output, Find(printed, "restored.Result", log), "restored.Result", log);

        Assert.Equal(new float[] { ParameterCount }, Find(printed, "ParameterCount", log));
    }

    public static float[] Find(IReadOnlyList<(string Name, float[] Values)> printed, string name, string log)
    {
        var matches = printed.Where(p => p.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one line '{name}: ...' in the output:\n{log}");
        return matches[0].Values;
    }

    internal static void AssertClose(float[] expected, float[] actual, string name, string log)
    {
        Assert.True(expected.Length == actual.Length, $"{name}: {actual.Length} values, Keras printed {expected.Length}\n{log}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"{name}[{i}]: {actual[i]:R}, Keras printed {expected[i]:R}\n{log}");
        }
    }

    private static float[] Three(float value) => new[] { value, value, value };
}
