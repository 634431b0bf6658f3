// RnnGen quickstart: the seed notebooks' recurrent layers, declared as C# attributes and run with the generated code.
using System;
using System.Globalization;
using System.Linq;
using Quickstart;
using RnnGen;

// train_X: one sentence of 4 words, each a 5-dimensional vector: shape (1, 4, 5).
float[] trainX =
{
    0.1f, 4.2f, 1.5f, 1.1f, 2.8f,
    1.0f, 3.1f, 2.5f, 0.7f, 1.1f,
    0.3f, 2.1f, 1.5f, 2.1f, 0.1f,
    2.2f, 1.4f, 0.5f, 0.9f, 1.1f,
};

Console.WriteLine("RnnGen quickstart: Keras recurrent layers as generated, fixed-size C#.");
Console.WriteLine("Randomly initialised layers draw glorot_uniform / orthogonal weights from a fixed seed, so their numbers");
Console.WriteLine("differ from the notebooks' (as two Keras runs differ); the shapes are what to compare.");
Console.WriteLine();

Section("SimpleRNN(3)", new Rnn(), trainX);
Section("SimpleRNN(3, return_sequences=True)", new RnnSequences(), trainX);
Section("SimpleRNN(3, return_sequences=True, return_state=True)", new RnnSequencesAndState(), trainX);
Section("SimpleRNN(3, return_sequences=False, return_state=True)", new RnnState(), trainX);
Section("LSTM(3)", new Lstm(), trainX);
Section("LSTM(3, return_sequences=True)", new LstmSequences(), trainX);
Section("LSTM(3, return_sequences=False, return_state=True)", new LstmState(), trainX);
Section("LSTM(3, return_sequences=True, return_state=True)", new LstmSequencesAndState(), trainX);

// The typed API: fixed-size structs in, fixed-size structs out, nothing allocated.
Console.WriteLine("Bidirectional(LSTM(3, return_state=True)) with kernel 0.1, recurrent 0.1, bias 0 (typed Forward):");
var bilstm = new BiLstmState();
BiLstmState.Input input = default;
trainX.AsSpan().CopyTo(input.AsSpan());
bilstm.Forward(in input, out BiLstmState.Output output);
Print("hidden states", output.Result.AsSpan(), "(1, 6)");
Print("forward state", output.ForwardStateH.AsSpan(), "(1, 3)");
Print("backward state", output.BackwardStateH.AsSpan(), "(1, 3)");
Print("forward cell state", output.ForwardStateC.AsSpan(), "(1, 3)");
Print("backward cell state", output.BackwardStateC.AsSpan(), "(1, 3)");
Console.WriteLine("  Keras printed: hidden states [0.6303139 x3, 0.70387346 x3], cell states 1.5707088 / 1.6402447");
Console.WriteLine();

Section("Bidirectional(LSTM(3)), same constants", new BiLstm(), trainX);
Section("Bidirectional(LSTM(3, return_sequences=True)), same constants", new BiLstmSequences(), trainX);
Section("Bidirectional(LSTM(3, return_sequences=True, return_state=True)), same constants", new BiLstmSequencesAndState(), trainX);
Console.WriteLine("  Keras printed: [[0.35906476 x3, 0.70387346 x3] [0.5511133 x3, 0.5886358 x3] [0.5911575 x3, 0.39516988 x3] [0.6303139 x3, 0.2194224 x3]]");
Console.WriteLine();

Console.WriteLine(SimpleRnnModel.Summary);
Console.WriteLine();
Console.WriteLine(DeepRnn.Summary);
Console.WriteLine();
Console.WriteLine(Forecaster.Summary);
Console.WriteLine();

// The regression model predicts for x_test = [25, 35, 45] (untrained weights here: load trained ones with SetWeights).
var forecaster = new Forecaster();
Console.WriteLine($"Forecaster (untrained) on [25, 35, 45]: {Format(forecaster.Predict(new[] { 25f, 35f, 45f })[0], 1)}");

static void Section(string title, IRnnModel model, float[] x)
{
    Console.WriteLine(title + ":");
    float[][] outputs = model.Predict(x);
    for (int i = 0; i < outputs.Length; i++)
    {
        OutputInfo info = model.Info.Outputs[i];
        string shape = "(1, " + string.Join(", ", info.Dimensions) + ")";
        Console.WriteLine($"  {info.Name} : {Format(outputs[i], info.Dimensions[^1])}, shape: {shape}");
    }

    Console.WriteLine();
}

static void Print(string name, ReadOnlySpan<float> values, string shape) =>
    Console.WriteLine($"  {name} : {Format(values.ToArray(), values.Length)}, shape: {shape}");

// Like numpy: shortest round-trip digits, one bracketed row per timestep when the values are a sequence of rows of `width`.
static string Format(float[] values, int width)
{
    string Row(int start) => "[" + string.Join(" ", values.Skip(start).Take(width).Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
    return values.Length == width ? Row(0) : "[" + string.Join(" ", Enumerable.Range(0, values.Length / width).Select(t => Row(t * width))) + "]";
}
