using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RnnGen.Training.Tests;

/// <summary>
/// Gradients and short training runs against TensorFlow.js (tests/golden/gradients.mjs, committed as
/// Golden/tfjs-gradients.json): <c>tf.variableGrads</c> of the same loss for the same weights and data, and a few
/// epochs without shuffling with each optimizer's Keras update rule written with tf ops. Both engines compute in float32
/// with different summation orders, so they agree to rounding, not bit for bit.
/// </summary>
public class GoldenTests
{
    private static readonly JsonElement[] Cases = Load();

    private static JsonElement[] Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "tfjs-gradients.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    public static TheoryData<string> Names => new(Cases.Select(c => c.GetProperty("name").GetString()!));

    public static TheoryData<string, int> Trajectories
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (JsonElement c in Cases)
            {
                for (int t = 0; t < c.GetProperty("trajectories").GetArrayLength(); t++)
                {
                    data.Add(c.GetProperty("name").GetString()!, t);
                }
            }

            return data;
        }
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);

    private static Loss LossOf(JsonElement c) => c.GetProperty("loss").GetString() switch
    {
        "categorical_crossentropy" => new CategoricalCrossentropy(),
        _ => new MeanSquaredError(),
    };

    private static IRnnModel ModelWithCaseWeights(JsonElement c)
    {
        IRnnModel model = GradientTests.Create(c.GetProperty("name").GetString()!, seed: 0);
        model.SetWeights(c.GetProperty("weights").EnumerateArray().Select(w => Floats(w.GetProperty("data"))).ToArray());
        return model;
    }

    private static void AssertClose(float[] expected, float[] actual, double absolute, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= absolute + relative * Math.Abs(expected[i]),
                $"{what}[{i}]: TensorFlow.js {expected[i]:G9}, RnnGen {actual[i]:G9}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradients_match_tensorflow_js(string name)
    {
        JsonElement c = Case(name);
        IRnnModel model = ModelWithCaseWeights(c);
        GradientTests.Compile(model, new Sgd(), LossOf(c));
        float[] x = Floats(c.GetProperty("x")), y = Floats(c.GetProperty("y"));
        Assert.Equal(c.GetProperty("lossValue").GetSingle(), GradientTests.TrainerOf(model).ComputeLoss(x, y, training: true), 5);
        float[][] gradients = GradientTests.TrainerOf(model).ComputeGradients(x, y);
        float[][] expected = c.GetProperty("gradients").EnumerateArray().Select(Floats).ToArray();
        Assert.Equal(expected.Length, gradients.Length);
        for (int a = 0; a < expected.Length; a++)
        {
            // float32 through time in two summation orders: about 1e-6 relative; 2e-6 absolute for gradients near 0.
            AssertClose(expected[a], gradients[a], 2e-6, 1e-4, model.Info.Weights[a].Name);
        }
    }

    [Theory]
    [MemberData(nameof(Trajectories))]
    public void Training_runs_match_tensorflow_js_with_keras_update_rules(string name, int index)
    {
        JsonElement c = Case(name);
        JsonElement run = c.GetProperty("trajectories")[index];
        JsonElement o = run.GetProperty("optimizer");
        float Option(string key) => o.GetProperty(key).GetSingle();
        Optimizer optimizer = o.GetProperty("name").GetString() switch
        {
            "sgd" => new Sgd(Option("learningRate"), Option("momentum"), o.GetProperty("nesterov").GetBoolean()),
            "adam" => new Adam(Option("learningRate"), Option("beta1"), Option("beta2"), Option("epsilon")),
            _ => new RmsProp(Option("learningRate"), Option("rho"), Option("momentum"), Option("epsilon"), o.GetProperty("centered").GetBoolean()),
        };
        IRnnModel model = ModelWithCaseWeights(c);
        GradientTests.Compile(model, optimizer, LossOf(c));
        History history = GradientTests.TrainerOf(model).Fit(Floats(c.GetProperty("x")), Floats(c.GetProperty("y")),
            epochs: run.GetProperty("epochs").GetInt32(), batchSize: run.GetProperty("batchSize").GetInt32(), shuffle: false);
        // Rounding differences of 1e-7 grow through a few optimizer steps (Adam and RMSprop divide by the root of small
        // second moments); 1e-4 relative on losses and 1e-4 absolute on weights of order 0.5 are still far below what
        // a wrong rule or a wrong gradient gives (the weights move by about 1e-2 per step).
        AssertClose(Floats(run.GetProperty("losses")), history.Loss.ToArray(), 1e-6, 1e-4, "loss per epoch");
        float[][] expected = run.GetProperty("weights").EnumerateArray().Select(Floats).ToArray();
        float[][] weights = model.GetWeights();
        for (int a = 0; a < expected.Length; a++)
        {
            AssertClose(expected[a], weights[a], 1e-4, 1e-3, model.Info.Weights[a].Name);
        }
    }
}
