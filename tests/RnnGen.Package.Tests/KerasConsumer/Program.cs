// Runs the model that [KerasModel] compiled from models/forecaster.keras on the input given as arguments and prints
// its output as "imported: v v v" (round-trip floats). With --compare <file>, also loads that file into the
// hand-written declaration of the same model and prints whether weights and outputs are equal bit for bit.
using System.Globalization;
using RnnGen;

int compareAt = Array.IndexOf(args, "--compare");
float[] input = args.Take(compareAt < 0 ? args.Length : compareAt)
    .Select(a => float.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

var imported = new Forecaster(); // the weights were compiled in: no file is read here
float[] output = imported.Predict(input)[0];
Console.WriteLine("imported: " + string.Join(" ", output.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

if (compareAt >= 0)
{
    var declared = new DeclaredByHand();
    declared.LoadWeights(args[compareAt + 1]);
    bool sameWeights = declared.GetWeights().Zip(imported.GetWeights()).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
    bool sameOutput = declared.Predict(input)[0].AsSpan().SequenceEqual(output);
    Console.WriteLine("same-weights: " + sameWeights);
    Console.WriteLine("same-output: " + sameOutput);
}

/// <summary>The Keras file is the declaration.</summary>
[KerasModel("models/forecaster.keras")]
public partial class Forecaster;

/// <summary>The same model declared by hand, as `rnngen inspect models/forecaster.keras` prints it.</summary>
[Sequential(Timesteps = 5, InputDim = 3)]
[Lstm(4, RecurrentActivation = "hard_sigmoid", ReturnSequences = true, Bidirectional = true)]
[Dropout(0.25)]
[Gru(3, RecurrentActivation = "hard_sigmoid")]
[Dense(4, Activation = "relu")]
[Dense(2, Activation = "tanh")]
public partial class DeclaredByHand;
