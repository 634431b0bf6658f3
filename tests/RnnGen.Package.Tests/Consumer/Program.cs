// Runs the packaged model three ways and prints every output as "name: v v v", floats in round-trip format, for the
// tests to compare with the numbers Keras printed.
using System.Globalization;
using Consumer;
using RnnGen;

float[] trainX =
{
    0.1f, 4.2f, 1.5f, 1.1f, 2.8f,
    1.0f, 3.1f, 2.5f, 0.7f, 1.1f,
    0.3f, 2.1f, 1.5f, 2.1f, 0.1f,
    2.2f, 1.4f, 0.5f, 0.9f, 1.1f,
};

// 1. The typed API: fixed-size structs, nothing allocated.
var model = new SeedBidirectionalLstm();
SeedBidirectionalLstm.Input input = default;
trainX.AsSpan().CopyTo(input.AsSpan());
model.Forward(in input, out SeedBidirectionalLstm.Output output);
Print("forward.Result", output.Result.AsSpan());
Print("forward.ForwardStateH", output.ForwardStateH.AsSpan());
Print("forward.ForwardStateC", output.ForwardStateC.AsSpan());
Print("forward.BackwardStateH", output.BackwardStateH.AsSpan());
Print("forward.BackwardStateC", output.BackwardStateC.AsSpan());

// 2. The array API, through the interface every model implements: outputs in Keras call order, named as in Keras.
IRnnModel asInterface = model;
float[][] predicted = asInterface.Predict(trainX);
for (int i = 0; i < predicted.Length; i++)
{
    Print("predict." + asInterface.Info.Outputs[i].Name, predicted[i]);
}

// 3. Weights in Keras get_weights() order: all zeros (an LSTM with zero weights outputs h = 0: every gate is
// sigmoid(0) = 0.5 and the candidate tanh(0) = 0, so c and h stay 0), then the first model's weights again.
var copy = new SeedBidirectionalLstm();
copy.SetWeights(copy.GetWeights().Select(w => new float[w.Length]).ToArray());
copy.Forward(in input, out SeedBidirectionalLstm.Output zeroed);
Print("zeroed.Result", zeroed.Result.AsSpan());
copy.SetWeights(model.GetWeights());
copy.Forward(in input, out SeedBidirectionalLstm.Output restored);
Print("restored.Result", restored.Result.AsSpan());

Console.WriteLine("ParameterCount: " + SeedBidirectionalLstm.ParameterCount.ToString(CultureInfo.InvariantCulture));
Console.WriteLine("RuntimeFramework: " + Environment.Version.Major.ToString(CultureInfo.InvariantCulture));

static void Print(string name, ReadOnlySpan<float> values)
{
    var text = new string[values.Length];
    for (int i = 0; i < values.Length; i++)
    {
        text[i] = values[i].ToString("R", CultureInfo.InvariantCulture);
    }

    Console.WriteLine(name + ": " + string.Join(" ", text));
}
