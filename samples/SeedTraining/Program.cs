// Seed notebook 001 in C#: the notebook's Keras training run, reproduced with RnnGen's generated model and trainer.
//
//   model.compile(optimizer='adam', loss='mse')
//   es = EarlyStopping(monitor='loss', patience=10, mode='auto')
//   model.fit(x, y, epochs=1000, batch_size=1, verbose=1, callbacks=[es])
//   model.predict([[25], [35], [45]])   # the notebook printed 55.212856
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using RnnGen.Training;
using SeedTraining;

int seed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
string plotPath = args.Length > 1 ? args[1] : "loss.png";

// The initial weights come from Keras's default initializers (glorot_uniform, orthogonal, zeros, forget-gate ones)
// drawn from the seed; the seed also fixes the shuffling, so a run is reproducible.
var model = new Forecaster(seed);
model.Compile(new Adam(), new MeanSquaredError());
History history = model.Fit(SeedData.X, SeedData.Y, epochs: 1000, batchSize: 1, seed: seed, verbose: 1,
    callbacks: new[] { new EarlyStopping(monitor: "loss", patience: 10, verbose: 1) });

float prediction = model.Predict(SeedData.Test)[0][0];
Console.WriteLine();
Console.WriteLine($"Trained for {history.Epoch.Count} epochs; final loss {history.Loss[^1].ToString("0.0000", CultureInfo.InvariantCulture)}.");
Console.WriteLine($"Prediction for [25, 35, 45]: {prediction.ToString("0.000000", CultureInfo.InvariantCulture)} (the notebook's Keras run: 55.212856)");

// The notebook imports matplotlib; ScottPlot draws the same curve here.
var plot = new ScottPlot.Plot();
double[] epochs = history.Epoch.Select(e => (double)(e + 1)).ToArray();
// The loss falls from hundreds to hundredths: a log scale shows the first epochs and the last ones. ScottPlot 5 has
// no logarithmic axis; its cookbook plots log10 of the values and labels the ticks with the powers of ten.
double[] logLosses = history.Loss.Select(l => Math.Log10(Math.Max(l, 1e-6))).ToArray();
plot.Add.Scatter(epochs, logLosses);
var ticks = new ScottPlot.TickGenerators.NumericAutomatic
{
    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
    IntegerTicksOnly = true,
    LabelFormatter = y => Math.Pow(10, y).ToString("G4", CultureInfo.InvariantCulture),
};
plot.Axes.Left.TickGenerator = ticks;
plot.Axes.Left.Label.Text = "loss (MSE, log scale)";
plot.Axes.Bottom.Label.Text = "epoch";
plot.Title("Seed notebook 001: LSTM(20) -> Dense(5) -> Dense(1), Adam, batch size 1");
plot.SavePng(plotPath, 800, 500);
Console.WriteLine($"Loss curve: {Path.GetFullPath(plotPath)}");
