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
        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tolerance.AssertClose(golden.Expected[i].Data, outputs[i], $"{name} {golden.Expected[i].Name}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reference_model_matches_the_engine(string name)
    {
        // The plain reference model is the yardstick of the property tests, so it is itself checked against the engines.
        GoldenCase golden = GoldenCases.Get(name);
        ModelInfo info = s_models.Value.Create(name).Info;
        var reference = new RnnGen.Reference.ReferenceModel(info, golden.Weights.Select(w => w.Data).ToArray());
        float[][] outputs = null!;
        for (int call = 0; call < golden.Calls; call++)
        {
            outputs = reference.Predict(golden.Input.Data, golden.InitialState?.Select(s => s.Data).ToArray());
        }

        for (int i = 0; i < golden.Expected.Length; i++)
        {
            Tolerance.AssertClose(golden.Expected[i].Data, outputs[i], $"{name} {golden.Expected[i].Name}");
        }
    }
}
