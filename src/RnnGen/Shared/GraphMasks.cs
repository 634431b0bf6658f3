using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Shared;

/// <summary>
/// How a Keras mask (made by <c>Masking</c> or <c>Embedding(mask_zero=True)</c>) goes through a graph's joins, for the
/// generator's <c>[Graph]</c> checks and <c>rnngen inspect</c> alike (docs/graphs.md, masks). Keras passes a mask on with
/// the sequences computed from it; where tf.keras 2 and Keras 3 compute different numbers for it, RnnGen refuses the
/// graph rather than pick one in silence. A mask is named by the layer (or node) that made it; null is none.
/// </summary>
internal static class GraphMasks
{
    /// <summary>
    /// Why a merge of inputs that carry <paramref name="inputMasks"/> is refused, or null; <paramref name="mask"/> is the
    /// mask its output carries. Keras's <c>Dot</c> returns none (its <c>compute_mask</c>); the others agree across Keras
    /// versions only when every input carries the same mask (tf.keras 2: the timesteps kept in all inputs, Keras 3's
    /// Concatenate: in any, Keras 3's other merges: in any, or none when an input has none), and then pass it on.
    /// Keras 3's Multiply, Maximum and Minimum also rewrite the values at masked timesteps, which tf.keras 2's do not.
    /// </summary>
    /// <param name="operation">The merge's Keras class: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot.</param>
    /// <param name="inputMasks">The mask each input carries, in order (null: none).</param>
    /// <param name="mask">The mask the output carries (null: none).</param>
    public static string? Merge(string operation, IReadOnlyList<string?> inputMasks, out string? mask)
    {
        mask = null;
        string? first = inputMasks.FirstOrDefault(m => m is not null);
        if (first is null || operation == "Dot")
        {
            return null;
        }

        if (inputMasks.Any(m => m != first))
        {
            return "tf.keras 2 and Keras 3 give such a merge different masks (the timesteps kept in every input, or in any): merge sequences that carry the same mask";
        }

        if (operation is "Multiply" or "Maximum" or "Minimum")
        {
            return "Keras versions differ in what Multiply, Maximum and Minimum give at masked timesteps: of the merges, Concatenate, Add, Subtract and Average take masked sequences";
        }

        mask = first;
        return null;
    }

    /// <summary>Why a recurrent layer called with <c>initial_state</c> cannot read a masked sequence.</summary>
    public const string InitialStateProblem =
        "Keras 3 does not pass the mask to a recurrent layer called with initial_state (its call then has two tensor arguments), and tf.keras 2 does: the two compute different numbers for padded input";

    /// <summary>Why a chain that changes the timesteps after a layer that reads the mask cannot read a masked sequence.</summary>
    public const string BlockerProblem =
        "a chain with a layer that changes the timesteps has no masked Forward: put the layers that read the mask before it in a chain of their own";
}
