using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Golden;

/// <summary>
/// Every golden case from TensorFlow.js and ONNX Runtime (tests/golden): the generated model, given the case's
/// weights, must reproduce the engine's outputs.
/// </summary>
public class GoldenVectorTests
{
    private static readonly System.Lazy<DynamicModels> s_models = new(() =>
        new DynamicModels(GoldenCases.All.Value.Select(c => (c.Name, c.Model))));

    public static IEnumerable<object[]> CaseNames => GoldenCases.All.Value.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_model_matches_the_engine(string name)
    {
        GoldenCase golden = GoldenCases.Get(name);
        IRnnModel model = s_models.Value.Create(name);
        model.SetWeights(golden.Weights.Select(w => w.Data).ToArray());

        float[][] outputs = null!;
        for (int call = 0; call < golden.Calls; call++)
        {
            outputs = golden.InitialState is null
                ? model.Predict(golden.Input.Data)
                : DynamicModels.PredictWithInitialState(model, golden.Input.Data, golden.InitialState.Select(s => s.Data).ToArray());
        }

        Assert.Equal(golden.Expected.Select(e => e.Name), model.Info.Outputs.Select(o => o.Name));
        float[][] single = Reference(golden, model.Info, RnnGen.Reference.ReferencePrecision.Float32);
        float[][] dbl = Reference(golden, model.Info, RnnGen.Reference.ReferencePrecision.Float64);
        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tolerance.AssertClose(golden.Expected[i].Data, outputs[i], single[i], dbl[i], $"{name} {golden.Expected[i].Name}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Batched_kernels_match_the_engine(string name)
    {
        // Predict(input, output) runs chunks of sequences through the batched kernels; replicating the case's batch to
        // 9 rows (two chunks of 4 and one row alone) exercises both paths on every case.
        GoldenCase golden = GoldenCases.Get(name);
        if (golden.InitialState is not null)
        {
            return; // the batch API takes no initial state; Generated_model_matches_the_engine covers those cases
        }

        IRnnModel model = s_models.Value.Create(name);
        model.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
        int rows = 9, row = model.Info.InputLength, outputLength = model.Info.Outputs[0].Length;
        float[] input = Enumerable.Range(0, rows).SelectMany(r => golden.Input.Data.AsSpan((r % golden.Batch) * row, row).ToArray()).ToArray();
        var output = new float[rows * outputLength];
        for (int call = 0; call < golden.Calls; call++)
        {
            Assert.Equal(rows, model.Predict(input, output));
        }

        float[][] single = Reference(golden, model.Info, RnnGen.Reference.ReferencePrecision.Float32);
        float[][] dbl = Reference(golden, model.Info, RnnGen.Reference.ReferencePrecision.Float64);
        for (int r = 0; r < rows; r++)
        {
            int source = (r % golden.Batch) * outputLength;
            Tolerance.AssertClose(golden.Expected[0].Data.AsSpan(source, outputLength), output.AsSpan(r * outputLength, outputLength),
                single[0].AsSpan(source, outputLength), dbl[0].AsSpan(source, outputLength), $"{name} row {r}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Streaming_steps_match_forward(string name)
    {
        // Step, one timestep at a time from zero states, must give Forward's output for the same sequence: every
        // timestep's output for a model that returns sequences, else the last step's output.
        GoldenCase golden = GoldenCases.Get(name);
        IRnnModel model = s_models.Value.Create(name);
        if (model is not IStreamingModel stream)
        {
            // Only models with a layer that needs the whole sequence cannot stream: a backward direction, a global pooling,
            // or a layer after which one input timestep is not one output timestep (Conv1D, pooling, reshaping).
            Assert.Contains(model.Info.Layers, l => l.Bidirectional || l.GoBackwards || RnnGen.Shared.LayerShapes.ChangesTimeAxis(l.Kind) || l.Kind is LayerKind.GlobalAveragePooling1D or LayerKind.GlobalMaxPooling1D);
            return;
        }

        stream.SetWeights(golden.Weights.Select(w => w.Data).ToArray());
        ModelInfo info = stream.Info;
        float[] sequence = golden.Input.Data.AsSpan(0, info.InputLength).ToArray(); // batch row 0
        float[] expected = stream.Predict(sequence)[0];
        int width = info.Outputs[0].Dimensions[^1];
        bool returnsSequence = info.Outputs[0].Dimensions.Count == 2;
        var output = new float[width];
        stream.ResetStates();
        for (int t = 0; t < info.Timesteps; t++)
        {
            stream.Step(sequence.AsSpan(t * info.InputDim, info.InputDim), output);
            if (returnsSequence || t == info.Timesteps - 1)
            {
                int at = returnsSequence ? t * width : 0;
                Tolerance.AssertClose(expected.AsSpan(at, width), output, $"{name} step {t}", 1e-6);
            }
        }
    }

    private static float[][] Reference(GoldenCase golden, ModelInfo info, RnnGen.Reference.ReferencePrecision precision)
    {
        var reference = new RnnGen.Reference.ReferenceModel(info, golden.Weights.Select(w => w.Data).ToArray(), precision);
        float[][] outputs = null!;
        for (int call = 0; call < golden.Calls; call++)
        {
            outputs = reference.Predict(golden.Input.Data, golden.InitialState?.Select(s => s.Data).ToArray());
        }

        return outputs;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reference_model_in_float64_matches_the_engine(string name)
    {
        // The plain reference model is the yardstick of the property tests and of the float32-noise allowance above, so
        // its float64 evaluation is itself checked against the engines at the plain tolerance.
        GoldenCase golden = GoldenCases.Get(name);
        float[][] outputs = Reference(golden, s_models.Value.Create(name).Info, RnnGen.Reference.ReferencePrecision.Float64);
        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tolerance.AssertClose(golden.Expected[i].Data, outputs[i], $"{name} {golden.Expected[i].Name}");
        }
    }
}
