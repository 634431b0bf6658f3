using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Reference;
using RnnGen.Shared;

namespace RnnGen.Formats.Tests;

/// <summary>One declared layer, with the attribute defaults of RnnGen (Keras 3 defaults).</summary>
internal sealed record LayerSpec(LayerKind Kind, int Units)
{
    public string Activation { get; init; } = Kind == LayerKind.Dense ? "linear" : "tanh";

    public string RecurrentActivation { get; init; } = "sigmoid";

    public bool UseBias { get; init; } = true;

    public bool ResetAfter { get; init; } = true;

    public bool ReturnSequences { get; init; }

    public bool GoBackwards { get; init; }

    public bool Bidirectional { get; init; }

    public MergeMode MergeMode { get; init; }

    public double Rate { get; init; }
}

/// <summary>
/// Builds the <see cref="ModelInfo"/> the generator would emit for a declaration (Keras default names lstm, lstm_1, ...,
/// weight shapes from <see cref="LayerShapes"/>), so that loading can be tested against any declaration without a
/// generated class for each (PastedDeclarationTests covers the generated classes); <see cref="ReferenceModel"/> then
/// runs the loaded weights.
/// </summary>
internal static class Declared
{
    public static LayerSpec SimpleRnn(int units) => new(LayerKind.SimpleRnn, units);

    public static LayerSpec Lstm(int units) => new(LayerKind.Lstm, units);

    public static LayerSpec Gru(int units) => new(LayerKind.Gru, units);

    public static LayerSpec Dense(int units) => new(LayerKind.Dense, units);

    public static LayerSpec Dropout(double rate) => new(LayerKind.Dropout, 0) { Rate = rate };

    public static ModelInfo Model(string name, int timesteps, int inputDim, params LayerSpec[] specs)
    {
        var layers = new List<LayerInfo>();
        var used = new Dictionary<string, int>();
        int width = inputDim;
        bool sequence = true;
        foreach (LayerSpec spec in specs)
        {
            string stem = spec.Bidirectional ? "bidirectional" : LayerShapes.KerasNameStem(spec.Kind);
            string layerName = used.TryGetValue(stem, out int n) ? $"{stem}_{used[stem] = n + 1}" : Fresh(used, stem);
            bool recurrent = LayerShapes.IsRecurrent(spec.Kind);
            var weights = new List<WeightShape>();
            int directions = spec.Bidirectional ? 2 : 1;
            for (int d = 0; d < directions; d++)
            {
                string prefix = spec.Bidirectional ? $"{layerName}/{(d == 0 ? "forward_" : "backward_")}{LayerShapes.KerasNameStem(spec.Kind)}/" : layerName + "/";
                foreach (var (weightName, rows, columns) in LayerShapes.Weights(spec.Kind, width, spec.Units, spec.UseBias, spec.ResetAfter))
                {
                    weights.Add(columns == 0 ? new WeightShape(prefix + weightName, rows) : new WeightShape(prefix + weightName, rows, columns));
                }
            }

            int outWidth = spec.Kind == LayerKind.Dropout ? width : spec.Bidirectional && spec.MergeMode == MergeMode.Concat ? 2 * spec.Units : spec.Units;
            bool outSequence = recurrent ? spec.ReturnSequences : sequence;
            layers.Add(new LayerInfo(spec.Kind, layerName)
            {
                Units = spec.Units,
                InputWidth = width,
                InputIsSequence = sequence,
                OutputWidth = outWidth,
                OutputIsSequence = outSequence,
                Activation = spec.Activation,
                RecurrentActivation = spec.Kind is LayerKind.Lstm or LayerKind.Gru ? spec.RecurrentActivation : null,
                UseBias = spec.UseBias,
                ResetAfter = spec.Kind == LayerKind.Gru && spec.ResetAfter,
                ReturnSequences = spec.ReturnSequences,
                GoBackwards = spec.GoBackwards,
                Bidirectional = spec.Bidirectional,
                MergeMode = spec.MergeMode,
                DropoutRate = spec.Rate,
                Weights = weights,
            });
            width = outWidth;
            sequence = outSequence;
        }

        OutputInfo output = sequence ? new OutputInfo("output", timesteps, width) : new OutputInfo("output", width);
        return new ModelInfo(name, timesteps, inputDim, layers, new[] { output });
    }

    private static string Fresh(Dictionary<string, int> used, string stem)
    {
        used[stem] = 0;
        return stem;
    }
}

/// <summary>An <see cref="IRnnModel"/> over <see cref="ReferenceModel"/>, to test the model-level Load and SaveNpz.</summary>
internal sealed class ReferenceRnnModel : IRnnModel
{
    private float[][] _weights;
    private ReferenceModel _reference;

    public ReferenceRnnModel(ModelInfo info)
    {
        Info = info;
        _weights = info.Weights.Select(w => new float[w.Length]).ToArray();
        _reference = new ReferenceModel(info, _weights);
    }

    public ModelInfo Info { get; }

    public int SetWeightsCalls { get; private set; }

    public float[][] GetWeights() => _weights.Select(w => (float[])w.Clone()).ToArray();

    public void SetWeights(IReadOnlyList<float[]> weights)
    {
        GeneratedModelSupport.ValidateWeights(weights, Info);
        _weights = weights.Select(w => (float[])w.Clone()).ToArray();
        _reference = new ReferenceModel(Info, _weights);
        SetWeightsCalls++;
    }

    public float[][] Predict(ReadOnlySpan<float> input) => _reference.Predict(input);

    // IRnnModel's allocation-free overload (the first output of every sequence, batch first).
    public int Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        float[] first = _reference.Predict(input)[0];
        if (output.Length != first.Length)
        {
            throw new ArgumentException($"output must hold {first.Length} floats, but has {output.Length}.", nameof(output));
        }

        first.CopyTo(output);
        return GeneratedModelSupport.BatchSize(input.Length, Info);
    }

    public void ResetStates() => _reference.ResetStates();
}
