using System;
using System.Collections.Generic;
using System.Linq;

namespace RnnGen.Training;

// The Keras fit loop: epochs, shuffling, validation, callbacks and progress; the batches run through Trainer.Chunks.cs.
public sealed partial class Trainer
{
    /// <summary>
    /// Keras <c>model.fit</c> on flat arrays: <paramref name="x"/> is <c>samples x Timesteps x InputDim</c>,
    /// <paramref name="y"/> <c>samples x</c> <see cref="TargetLength"/>. Each epoch shuffles (unless told not to),
    /// trains on batches of <paramref name="batchSize"/> (the last one smaller), evaluates the validation data and
    /// calls the callbacks. A loss that is not a finite number stops training (as Keras's <c>TerminateOnNaN</c>) with
    /// the weights of the end of the last good epoch and the reason in <see cref="History.StopReason"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit the model or each other, or <paramref name="validationSplit"/> is outside [0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive, or <paramref name="epochs"/> or <paramref name="initialEpoch"/> is negative.</exception>
    public History Fit(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int epochs = 1, int batchSize = 32, bool shuffle = true, double validationSplit = 0.0,
        ValidationData? validationData = null, IReadOnlyList<Callback>? callbacks = null, int initialEpoch = 0, int? seed = null, int verbose = 0,
        IProgress<EpochLog>? progress = null)
    {
        CheckBatchSize(batchSize);
        if (epochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be 0 or more.");
        }

        if (initialEpoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, "initialEpoch must be 0 or more.");
        }

        if (!(validationSplit >= 0 && validationSplit < 1))
        {
            throw new ArgumentException($"validationSplit must be in [0, 1), not {validationSplit}.", nameof(validationSplit));
        }

        if (validationSplit > 0 && validationData is not null)
        {
            throw new ArgumentException("Pass validationSplit or validationData, not both (Keras uses validationData and ignores the split; RnnGen asks you to choose).", nameof(validationData));
        }

        int samples = CheckBatch(x, y);
        int inputLength = Model.Info.InputLength;
        // keras train_validation_split: the first floor(n * (1 - split)) samples train, the rest validate, before shuffling.
        int trainSamples = validationSplit > 0 ? (int)Math.Floor(samples * (1.0 - validationSplit)) : samples;
        if (trainSamples == 0 || (validationSplit > 0 && trainSamples == samples))
        {
            throw new ArgumentException($"validationSplit {validationSplit} of {samples} sample(s) leaves {trainSamples} to train on and {samples - trainSamples} to validate; both must be at least 1.", nameof(validationSplit));
        }

        ReadOnlySpan<float> validationX = validationSplit > 0 ? x.Slice(trainSamples * inputLength) : validationData is null ? default : validationData.X;
        ReadOnlySpan<float> validationY = validationSplit > 0 ? y.Slice(trainSamples * TargetLength) : validationData is null ? default : validationData.Y;
        bool validate = validationSplit > 0 || validationData is not null;
        int validationSamples = validate ? CheckBatch(validationX, validationY, "validationData") : 0;

        int shuffleSeed = seed ?? Random.Shared.Next();
        if (seed is int dropoutSeed)
        {
            SeedDropout(dropoutSeed);
        }

        var history = new History();
        Callback[] callbackList = (callbacks ?? Array.Empty<Callback>()).ToArray();
        int batchCapacity = Math.Min(batchSize, trainSamples);
        var batchX = new float[batchCapacity * inputLength];
        var batchY = new float[batchCapacity * TargetLength];
        int[] order = Enumerable.Range(0, trainSamples).ToArray();
        EnsureCapacity(Math.Max(batchCapacity, validate ? Math.Min(batchSize, validationSamples) : 0));
        StopTraining = false;
        StopReason = null;
        foreach (Callback callback in callbackList)
        {
            callback.Trainer = this;
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainBegin();
        }

        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            foreach (Callback callback in callbackList)
            {
                callback.OnEpochBegin(epoch);
            }

            _parameters.CopyTo(_lastGoodParameters, 0);
            if (shuffle)
            {
                Shuffle(order, shuffleSeed, epoch);
            }

            Array.Clear(_metricSums);
            _metricRows = 0;
            double lossSum = 0;
            bool invalidLoss = false;
            for (int start = 0, batchIndex = 0; start < trainSamples; start += batchSize, batchIndex++)
            {
                int count = Math.Min(batchSize, trainSamples - start);
                for (int i = 0; i < count; i++)
                {
                    int sample = order[start + i];
                    x.Slice(sample * inputLength, inputLength).CopyTo(batchX.AsSpan(i * inputLength));
                    y.Slice(sample * TargetLength, TargetLength).CopyTo(batchY.AsSpan(i * TargetLength));
                }

                ReadOnlySpan<float> xb = batchX.AsSpan(0, count * inputLength);
                float loss = ForwardLoss(xb, batchY.AsSpan(0, count * TargetLength), count, training: true, accumulateMetrics: true);
                if (!float.IsFinite(loss))
                {
                    // keras TerminateOnNaN stops at the batch; the weights go back to the end of the last good epoch.
                    _lastGoodParameters.CopyTo(_parameters, 0);
                    _parametersChanged();
                    StopTraining = true;
                    StopReason = $"Epoch {epoch + 1}, batch {batchIndex + 1}: invalid loss ({loss}), terminating training; the weights are those at the end of epoch {epoch}.";
                    Write(StopReason);
                    invalidLoss = true;
                    break;
                }

                Step(xb, count);
                lossSum += (double)loss * count;
            }

            if (invalidLoss)
            {
                break;
            }

            var logs = new Dictionary<string, float>(StringComparer.Ordinal) { ["loss"] = (float)(lossSum / trainSamples) };
            for (int m = 0; m < Metrics.Count; m++)
            {
                logs[Metrics[m].Name] = MetricMean(m);
            }

            if (validate)
            {
                EvaluateInto(validationX, validationY, validationSamples, batchSize, logs, "val_");
            }

            var line = new EpochLog(epoch + 1, epochs, new Dictionary<string, float>(logs));
            progress?.Report(line);
            if (verbose > 0)
            {
                Console.Out.WriteLine(line.ToString());
            }

            foreach (Callback callback in callbackList)
            {
                callback.OnEpochEnd(epoch, logs);
            }

            history.Record(epoch, logs);
            if (StopTraining)
            {
                break;
            }
        }

        foreach (Callback callback in callbackList)
        {
            callback.OnTrainEnd();
        }

        history.StopReason = StopReason;
        return history;
    }

    /// <summary>Writes a message of a callback (when its <c>verbose</c> is above 0) or of a stop on an invalid loss, as Keras prints them.</summary>
    internal void Write(string line) => Console.Out.WriteLine(line);

    private static void Shuffle(int[] order, int seed, int epoch)
    {
        Array.Sort(order);
        var random = new SeededRandom(SeededRandom.Derive(seed, epoch));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(random.NextDouble() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
