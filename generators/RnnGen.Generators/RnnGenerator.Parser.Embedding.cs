using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Shared;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    /// <summary>The largest Embedding input_dim: 2^24, the last integer every smaller one of which is exact as a float (the runtime's EmbeddingKernels.MaxInputDim).</summary>
    internal const int MaxEmbeddingInputDim = 1 << 24;

    private sealed partial class ModelParser
    {
        // Keras Embedding (keras/src/layers/core/embedding.py): each timestep's integer token selects a row of the
        // embeddings table (input_dim, output_dim). Its input is the model's tokens, so it is the first layer (RNNG051
        // elsewhere); both sizes are positive (RNNG052 on the argument). input_dim is at most 2^24, so every token is
        // exact as the float the model's input path carries it as.
        private LayerSpec? ParseEmbedding(AttributeInput layer, int number, Incoming incoming)
        {
            int errors = Diagnostics.Count;
            int inputDim = EmbeddingSize(layer, number, "inputDim", MaxEmbeddingInputDim);
            int outputDim = EmbeddingSize(layer, number, "outputDim", MaxWidth);
            bool maskZero = Bool(layer, "MaskZero", false);
            if (number != 1)
            {
                Report(DiagnosticDescriptors.EmbeddingNotFirst, layer.Location, number, incoming.Producer, incoming.ProducerKind);
            }

            if (Diagnostics.Skip(errors).Any(IsError))
            {
                return null;
            }

            bool isSequence = incoming.IsSequence ?? true;
            return new LayerSpec
            {
                Kind = LayerKind.Embedding,
                Index = number - 1,
                Name = _names.Next(LayerShapes.KerasNameStem(LayerKind.Embedding)),
                Units = outputDim,
                InputWidth = 1,
                InputIsSequence = isSequence,
                OutputWidth = outputDim,
                OutputIsSequence = isSequence,
                EmbeddingInputDim = inputDim,
                MaskZero = maskZero,
                // Keras's default embeddings_initializer, "uniform": RandomUniform(-0.05, 0.05).
                KernelInitializer = "random_uniform(-0.05, 0.05)",
            };
        }

        private int EmbeddingSize(AttributeInput layer, int number, string name, int max)
        {
            ArgumentInput? argument = layer.Find(name);
            if (argument is null || argument.HasError || argument.Value is not int value)
            {
                return 0; // a constructor argument is always present; the compiler reports a bad constant itself
            }

            if (value <= 0 || value > max)
            {
                Report(DiagnosticDescriptors.InvalidEmbeddingSize, argument.Location, number, name, value, max);
            }

            return value;
        }

        // The model input with an Embedding first: one token per timestep, Keras's (batch, Timesteps) integers, which
        // RnnGen carries as [Timesteps, 1]. InputDim may be left out or declared 1 (RNNG053 for anything else, on it).
        private int? EmbeddingModelInputDim(AttributeInput? sequential, string owner)
        {
            ArgumentInput? declared = sequential?.Find("InputDim");
            if (declared is null)
            {
                return 1;
            }

            if (declared.HasError || declared.Value is not int value)
            {
                return null;
            }

            if (value != 1)
            {
                Report(DiagnosticDescriptors.EmbeddingInputDim, declared.Location, owner, value);
                return null;
            }

            return 1;
        }
    }
}
