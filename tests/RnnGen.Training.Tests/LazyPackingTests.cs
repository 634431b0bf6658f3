using System;
using System.Collections.Generic;

namespace RnnGen.Training.Tests;

/// <summary>
/// A training step marks the model's packed inference weights stale instead of repacking them; the next inference call
/// repacks. Each test trains a model, makes one inference call first (so that call is the one that must repack), and
/// compares it bit for bit with a model given the trained weights through <c>SetWeights</c>, which packs them at once.
/// </summary>
public class LazyPackingTests
{
    private const int Steps = 3;

    // Every inference path of SeedForecaster that reads the packed weights, each given a model just trained.
    public static TheoryData<string> Paths => new()
    {
        "Predict", "PredictIntoSpan", "ForwardOne", "ForwardBatch", "ForwardBatchOnTwoCores", "Step", "StepSpan", "StepStreams",
        "StepStreamsOnTwoCores", "PredictWithInitialState",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_first_inference_call_after_training_runs_on_the_trained_weights(string path)
    {
        SeedForecaster trained = Trained(Steps);
        var reference = new SeedForecaster();
        reference.SetWeights(trained.GetWeights());
        float[] input = GradientTests.Random(40 * SeedForecaster.Info.InputLength, 11);

        float[] actual = Run(trained, path, input);
        float[] expected = Run(reference, path, input);

        Assert.Equal(expected, actual);
        // The untrained model differs, so the comparison above sees whether the trained weights were used.
        Assert.NotEqual(expected, Run(new SeedForecaster(), path, input));
    }

    [Fact]
    public void A_refused_inference_call_after_training_loses_nothing()
    {
        SeedForecaster trained = Trained(Steps);
        var reference = new SeedForecaster();
        reference.SetWeights(trained.GetWeights());
        float[] input = GradientTests.Random(5 * SeedForecaster.Info.InputLength, 12);

        Assert.Throws<ArgumentException>(() => trained.Predict(input, new float[3]));
        Assert.Throws<ArgumentException>(() => trained.Predict(new float[SeedForecaster.Info.InputLength + 1]));

        Assert.Equal(reference.Predict(input)[0], trained.Predict(input)[0]);
    }

    [Fact]
    public void Inference_between_training_steps_follows_every_step()
    {
        SeedForecaster model = Compiled();
        float[] x = { 1, 2, 3, 2, 3, 4 }, y = { 4, 5 };
        float[] input = GradientTests.Random(3 * SeedForecaster.Info.InputLength, 13);
        var reference = new SeedForecaster();
        float[] previous = model.Predict(input)[0];
        for (int step = 0; step < 4; step++)
        {
            model.TrainOnBatch(x, y);
            reference.SetWeights(model.GetWeights());
            float[] current = model.Predict(input)[0];
            Assert.Equal(reference.Predict(input)[0], current);
            Assert.NotEqual(previous, current);
            previous = current;
        }
    }

    [Fact]
    public void Fit_leaves_the_fitted_weights_to_the_next_predict()
    {
        SeedForecaster model = Compiled();
        float[] x = GradientTests.Random(6 * SeedForecaster.Info.InputLength, 14), y = GradientTests.Random(6, 15);
        model.Fit(x, y, epochs: 2, batchSize: 2, shuffle: false);
        var reference = new SeedForecaster();
        reference.SetWeights(model.GetWeights());
        Assert.Equal(reference.Predict(x)[0], model.Predict(x)[0]);
    }

    private static SeedForecaster Compiled()
    {
        var model = new SeedForecaster();
        model.Compile(new Adam(learningRate: 0.01f), new MeanSquaredError());
        return model;
    }

    private static SeedForecaster Trained(int steps)
    {
        SeedForecaster model = Compiled();
        float[] x = { 1, 2, 3, 2, 3, 4, 3, 4, 5 }, y = { 4, 5, 6 };
        for (int i = 0; i < steps; i++)
        {
            model.TrainOnBatch(x, y);
        }

        return model;
    }

    // The outputs of one inference path on `input` (40 sequences of 3 x 1), flattened.
    private static float[] Run(SeedForecaster model, string path, float[] input)
    {
        int sequences = input.Length / SeedForecaster.Info.InputLength;
        switch (path)
        {
            case "Predict":
                return model.Predict(input)[0];
            case "PredictIntoSpan":
            {
                var output = new float[sequences];
                model.Predict(input, output);
                return output;
            }

            case "ForwardOne":
            {
                SeedForecaster.Input one = default;
                input.AsSpan(0, SeedForecaster.Info.InputLength).CopyTo(one.AsSpan());
                model.Forward(in one, out SeedForecaster.Output output);
                return output.Result.AsSpan().ToArray();
            }

            case "ForwardBatch" or "ForwardBatchOnTwoCores":
            {
                var inputs = new SeedForecaster.Input[sequences];
                for (int s = 0; s < sequences; s++)
                {
                    input.AsSpan(s * SeedForecaster.Info.InputLength, SeedForecaster.Info.InputLength).CopyTo(inputs[s].AsSpan());
                }

                var outputs = new SeedForecaster.Output[sequences];
                if (path == "ForwardBatch")
                {
                    model.Forward(inputs, outputs);
                }
                else
                {
                    model.Forward(inputs.AsMemory(), outputs.AsMemory(), maxDegreeOfParallelism: 2);
                }

                return Array.ConvertAll(outputs, o => o.Result.AsSpan()[0]);
            }

            case "Step" or "StepSpan":
            {
                var outputs = new List<float>();
                for (int t = 0; t < SeedForecaster.Timesteps; t++)
                {
                    if (path == "Step")
                    {
                        SeedForecaster.InputStep step = default;
                        step.AsSpan()[0] = input[t];
                        model.Step(in step, out SeedForecaster.OutputStep output);
                        outputs.AddRange(output.AsSpan().ToArray());
                    }
                    else
                    {
                        var output = new float[SeedForecaster.OutputDim];
                        model.Step(input.AsSpan(t, 1), output);
                        outputs.AddRange(output);
                    }
                }

                return outputs.ToArray();
            }

            case "StepStreams" or "StepStreamsOnTwoCores":
            {
                var stepInputs = new float[sequences];
                var outputs = new float[sequences];
                var states = new float[sequences * SeedForecaster.StreamStateLength];
                var all = new List<float>();
                for (int t = 0; t < SeedForecaster.Timesteps; t++)
                {
                    for (int s = 0; s < sequences; s++)
                    {
                        stepInputs[s] = input[s * SeedForecaster.Timesteps + t];
                    }

                    if (path == "StepStreams")
                    {
                        model.StepStreams(stepInputs, outputs, states);
                    }
                    else
                    {
                        model.StepStreams(stepInputs.AsMemory(), outputs.AsMemory(), states.AsMemory(), maxDegreeOfParallelism: 2);
                    }

                    all.AddRange(outputs);
                }

                return all.ToArray();
            }

            case "PredictWithInitialState":
            {
                float[] h = GradientTests.Random(sequences * 20, 16), c = GradientTests.Random(sequences * 20, 17);
                return model.Predict(input, new[] { h, c })[0];
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Unknown inference path.");
        }
    }
}
