using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The names the emitter gives the members it declares in a model class, and the list of them all: a class named like
/// one of them could not hold it (C# CS0542), so the parser reports RNNG022 instead. The list is read from the spec
/// alone, without laying the model out; GeneratedNamesTests checks it against the emitted code.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>The public members of every generated model (some only on some models).</summary>
    public static readonly string[] PublicMembers =
    {
        "Timesteps", "OutputTimesteps", "InputDim", "Units", "OutputDim", "OutputLength", "ParameterCount", "DefaultSeed", "Summary", "Info",
        "Input", "InputStep", "Output", "OutputStep", "OutputSequence", "State", "InitialState", "GetWeights", "SetWeights",
        "LoadWeights", "SaveWeights", "Forward", "Predict", "Step", "ResetStates", "Compile", "Trainer", "Fit", "Evaluate",
        "TrainOnBatch", "ComputeGradients", "StepStreams", "ResetStreams", "StreamCount", "StreamStateLength",
    };

    /// <summary>The private members of the implementation that do not depend on the layers.</summary>
    private static readonly string[] s_implementationMembers =
    {
        "InputLength", "InitializeWeights", "PackWeights", "Run", "RunMany", "RunChunks", "RunChunk", "RunOne", "StepCore", "BeginCall",
        "ForwardOnWorkers", "ParallelBatch", "PackedLength", "ScratchLength", "CarryAOffset",
        "CarryBOffset", "InitialStateOffset", "DenseRowOffset", "StoredStateStride", "BatchChunk", "BatchCarryAOffset",
        "BatchCarryBOffset", "BatchDenseRowOffset", "BatchScratchLength", "OutputFloats", "_parameters", "_packed",
        "_scratch", "_streamReverse", "_batchScratch", "_workerScratch", "_workerSequenceScratch", "_parallelBatch", "_outputSink", "_storedStates",
        "_storedBatch", "_trainer", "StreamScratchLength", "_streamScratch", "_streamStates", "_streamsReverse", "StepStreamChunk",
        "StepStreamOne", "StepStreamChunks", "StreamsOf", "ParallelStreams", "_streamWorkerScratch",
        "_parallelStreams", "_packedStale", "MarkPackedStale", "EnsurePacked", "StreamHNextOffset", "StreamGatesOffset",
        "StreamCarryAOffset", "StreamCarryBOffset", "StreamDenseRowOffset", "s_trainingCells",
    };

    private static readonly CellBuffer[] s_allCellBuffers = { CellBuffer.H, CellBuffer.HNext, CellBuffer.C, CellBuffer.Gates };

    /// <summary>The prefix of a layer's constants and methods: its Keras name in PascalCase (<c>lstm_1</c> gives <c>Lstm1</c>).</summary>
    public static string Layer(LayerSpec layer) => Pascal(layer.Name);

    /// <summary>The prefix of a direction's constants: the layer's, or <c>BidirectionalForward</c> / <c>BidirectionalBackward</c>.</summary>
    public static string Direction(LayerSpec layer, int index) =>
        layer.Bidirectional ? Layer(layer) + (index == 0 ? "Forward" : "Backward") : Layer(layer);

    /// <summary>The constant that holds where a cell buffer starts: <c>LstmHOffset</c>, <c>GruBatchGatesOffset</c>.</summary>
    public static string CellBufferOffset(string direction, Placement placement, CellBuffer buffer) =>
        direction + (placement == Placement.Single ? string.Empty : placement.ToString()) + buffer.Name + "Offset";

    /// <summary>The constant that holds where a layer's h or c starts in one stream's state of <c>StepStreams</c>: <c>LstmStreamsHOffset</c>.</summary>
    public static string StreamsStateOffset(string layer, CellBuffer buffer) => layer + "Streams" + buffer.Name + "Offset";

    /// <summary>
    /// Every name the emitter may declare in the class of <paramref name="spec"/>: a superset (all vector widths, every
    /// cell buffer, optional members).
    /// </summary>
    public static IEnumerable<string> Members(ModelSpec spec)
    {
        foreach (string name in PublicMembers.Concat(s_implementationMembers))
        {
            yield return name;
        }

        string[] lanes = { "4", "8", "16" };
        foreach (LayerSpec layer in spec.Layers)
        {
            string prefix = Layer(layer);
            foreach (string suffix in new[] { "Layer", "Cell", "Row", "LayerBatch", "CellBatch", "CellStreams", "StoredOffset" })
            {
                yield return prefix + suffix;
            }

            yield return StreamsStateOffset(prefix, CellBuffer.H);
            yield return StreamsStateOffset(prefix, CellBuffer.C);
            foreach (string width in lanes)
            {
                yield return prefix + "CellX" + width;
                yield return prefix + "CellBatchX" + width;
                yield return prefix + "CellStreamsX" + width;
                yield return prefix + "RowX" + width;
            }

            for (int d = 0; d < layer.Directions; d++)
            {
                string direction = Direction(layer, d);
                foreach (Placement placement in new[] { Placement.Single, Placement.Stream, Placement.Batch })
                {
                    foreach (CellBuffer buffer in s_allCellBuffers)
                    {
                        yield return CellBufferOffset(direction, placement, buffer);
                    }
                }

                yield return direction + "PackedOffset"; // when every width has the same lanes
                foreach ((string bits, _) in ModelLayout.Tiers)
                {
                    yield return direction + "PackedOffset" + bits;
                }

                foreach (string weight in new[] { "KernelOffset", "RecurrentKernelOffset", "BiasOffset", "GammaOffset", "BetaOffset", "MovingMeanOffset", "MovingVarianceOffset" })
                {
                    yield return direction + weight;
                }
            }

        }
    }

    /// <summary>PascalCase of a Keras snake_case name: <c>simple_rnn_1</c> becomes <c>SimpleRnn1</c>.</summary>
    public static string Pascal(string snake)
    {
        var builder = new System.Text.StringBuilder(snake.Length);
        bool upper = true;
        foreach (char ch in snake)
        {
            if (ch == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        return builder.ToString();
    }
}
