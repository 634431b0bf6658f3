using System;
using System.Linq;
using System.Threading.Tasks;

namespace RnnGen.Training;

// A batch split into chunks of ChunkSamples rows (one chunk for a model with BatchNormalization): their forward pass
// and loss, their backward pass, and the parallel
// loops over them (the gradients are summed in chunk order, so any degree of parallelism gives the same bits).
public sealed partial class Trainer
{
    // The optimizer step, then the model's notice (a generated model only marks its packed kernels stale: the next
    // inference call repacks them, so a run of steps repacks nothing until something reads them).
    private void Step(ReadOnlySpan<float> x, int batch)
    {
        float[] gradients = Backward(x, batch);
        if (_savedNonTrainableWeights.Length == 0)
        {
            Optimizer.Apply(_parameters, gradients, _weightLengths);
        }
        else
        {
            // BatchNormalization's moving statistics and Normalization's adapted ones are not trained (Keras leaves
            // them out of the optimizer's variables): kept out of the optimizer's rule and weight decay, then the
            // moving statistics moved with the batch's statistics.
            _chunks[0].KeepNonTrainableWeights(_parameters, _savedNonTrainableWeights, restore: false);
            Optimizer.Apply(_parameters, gradients, _weightLengths);
            _chunks[0].KeepNonTrainableWeights(_parameters, _savedNonTrainableWeights, restore: true);
        }

        _parametersChanged();
    }

    // Grows the chunks' buffers to hold a batch of `batch` samples; allocates nothing when they already do.
    private void EnsureCapacity(int batch)
    {
        if (batch <= _capacity)
        {
            return;
        }

        int chunks = ChunkCount(batch), perChunk = Math.Min(batch, _chunkSamples);
        foreach (TrainingNetwork chunk in _chunks)
        {
            chunk.EnsureCapacity(perChunk);
        }

        while (_chunks.Count < chunks)
        {
            var chunk = new TrainingNetwork(Model.Info, perChunk, dropoutSeed: 0, _cells);
            chunk.SeedDropout(_dropoutSeed, _chunks.Count);
            _chunks.Add(chunk);
        }

        _chunkLosses = new double[chunks];
        _chunkRows = new int[chunks];
        _chunkMetricSums = new double[chunks][];
        for (int c = 0; c < chunks; c++)
        {
            _chunkMetricSums[c] = new double[Metrics.Count];
        }

        _capacity = batch;
    }

    // batch >= 1; written so that _chunkSamples = int.MaxValue (one chunk) cannot overflow.
    private int ChunkCount(int batch) => (batch - 1) / _chunkSamples + 1;

    private bool RunsInParallel(int chunks) => chunks > 1 && _maxDegreeOfParallelism > 1;

    // Copies a batch into arrays the parallel loop's workers can read (spans cannot be captured).
    private static ReadOnlySpan<float> Stage(ReadOnlySpan<float> values, ref float[] staged)
    {
        if (staged.Length < values.Length)
        {
            staged = new float[values.Length];
        }

        values.CopyTo(staged);
        return staged.AsSpan(0, values.Length);
    }

    // Forward pass and loss; leaves d loss / d output (mean over rows) in each chunk's output gradient.
    private float ForwardLoss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batch, bool training, bool accumulateMetrics)
    {
        EnsureCapacity(batch);
        int chunks = ChunkCount(batch);
        if (RunsInParallel(chunks))
        {
            ForwardInParallel(x, y, batch, training, accumulateMetrics);
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                ForwardChunk(c, x, y, batch, training, accumulateMetrics);
            }
        }

        double total = 0, rows = 0;
        for (int c = 0; c < chunks; c++)
        {
            total += _chunkLosses[c];
            rows += _chunkRows[c];
            if (accumulateMetrics)
            {
                for (int m = 0; m < Metrics.Count; m++)
                {
                    _metricSums[m] += _chunkMetricSums[c][m];
                }
            }
        }

        if (accumulateMetrics)
        {
            _metricRows += rows;
        }

        if (!_chunks[0].OutputMasked)
        {
            return (float)(total / (batch * _rowsPerSample));
        }

        // keras apply_mask: each kept row weighs total / valid, so the loss is the mean over the kept rows of the whole
        // batch, and 0 when none is kept (divide_no_nan); the rows' gradients get the same 1 / valid.
        float scale = rows > 0 ? (float)(1.0 / rows) : 0f;
        for (int c = 0; c < chunks; c++)
        {
            int count = Math.Min(_chunkSamples, batch - c * _chunkSamples);
            Span<float> gradient = _chunks[c].OutputGradient(count);
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= scale;
            }
        }

        return rows > 0 ? (float)(total / rows) : 0f;
    }

    // The parallel loop lives in its own method: a lambda's captures would otherwise be allocated on every call, parallel or not.
    private void ForwardInParallel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batch, bool training, bool accumulateMetrics)
    {
        Stage(x, ref _stagedX);
        Stage(y, ref _stagedY);
        float[] xs = _stagedX, ys = _stagedY;
        int xLength = x.Length, yLength = y.Length;
        Parallel.For(0, ChunkCount(batch), new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism },
            c => ForwardChunk(c, xs.AsSpan(0, xLength), ys.AsSpan(0, yLength), batch, training, accumulateMetrics));
    }

    // Chunk c of the batch: its forward pass, the sum of its rows' losses (and metrics), and its output gradient.
    private void ForwardChunk(int c, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batch, bool training, bool accumulateMetrics)
    {
        int start = c * _chunkSamples, count = Math.Min(_chunkSamples, batch - start);
        int inputLength = Model.Info.InputLength;
        TrainingNetwork network = _chunks[c];
        Span<float> output = network.Forward(_parameters, x.Slice(start * inputLength, count * inputLength), count, training);
        Span<float> gradient = network.OutputGradient(count);
        int rows = count * _rowsPerSample, firstRow = start * _rowsPerSample;
        double[] metricSums = _chunkMetricSums[c];
        Array.Clear(metricSums);
        double total = 0;
        // A sequence output that carries the Keras mask: its masked rows count for nothing (keras Loss.__call__ and the
        // metrics read the mask of y_pred); ForwardLoss divides by the kept rows of the whole batch.
        ReadOnlySpan<float> outputMask = network.OutputMasked ? network.OutputMask(count) : default;
        int keptRows = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!outputMask.IsEmpty && outputMask[r] == 0f)
            {
                gradient.Slice(r * _outputWidth, _outputWidth).Clear();
                continue;
            }

            keptRows++;
            ReadOnlySpan<float> target = y.Slice((firstRow + r) * _targetWidth, _targetWidth);
            ReadOnlySpan<float> prediction = output.Slice(r * _outputWidth, _outputWidth);
            total += Loss.Compute(target, prediction, gradient.Slice(r * _outputWidth, _outputWidth));
            if (accumulateMetrics)
            {
                for (int m = 0; m < Metrics.Count; m++)
                {
                    metricSums[m] += Metrics[m].Compute(target, prediction, Loss);
                }
            }
        }

        _chunkLosses[c] = total;
        _chunkRows[c] = keptRows;
        if (network.OutputMasked)
        {
            return; // scaled by ForwardLoss once every chunk has counted its kept rows
        }

        // The loss is the mean over every row of the batch, so each row's gradient is scaled by the whole batch's count.
        float scale = 1f / (batch * _rowsPerSample);
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] *= scale;
        }
    }

    private void BackwardInParallel(ReadOnlySpan<float> x, int batch)
    {
        Stage(x, ref _stagedX);
        float[] xs = _stagedX;
        int inputLength = Model.Info.InputLength;
        Parallel.For(0, ChunkCount(batch), new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, c =>
        {
            int start = c * _chunkSamples, count = Math.Min(_chunkSamples, batch - start);
            _chunks[c].Backward(_parameters, xs.AsSpan(start * inputLength, count * inputLength), count);
        });
    }

    // Backpropagates every chunk of the last ForwardLoss and returns the gradients summed in chunk order.
    private float[] Backward(ReadOnlySpan<float> x, int batch)
    {
        int chunks = ChunkCount(batch), inputLength = Model.Info.InputLength;
        if (RunsInParallel(chunks))
        {
            BackwardInParallel(x, batch);
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                int start = c * _chunkSamples, count = Math.Min(_chunkSamples, batch - start);
                _chunks[c].Backward(_parameters, x.Slice(start * inputLength, count * inputLength), count);
            }
        }

        float[] sum = _chunks[0].ParameterGradients;
        for (int c = 1; c < chunks; c++)
        {
            TrainingMath.Add(_chunks[c].ParameterGradients, sum);
        }

        return sum;
    }
}
