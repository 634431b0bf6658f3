using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// What docs/concurrency.md promises: separate instances share nothing mutable, so each may run on its own thread and
/// gives exactly what it gives alone; one instance's read-only members (Info, GetWeights, the constants) may be called
/// from several threads while no thread changes it; a stateful model keeps one stream per instance.
/// The threads start together at a barrier and each makes many calls, so their calls overlap.
/// </summary>
public class ConcurrencyTests
{
    private const int Threads = 4;
    private const int CallsPerThread = 200;

    [Fact]
    public void Predict_on_separate_instances_in_parallel_equals_the_same_calls_made_serially()
    {
        var first = new StackedClassifier(seed: 11);
        float[][] weights = first.GetWeights();
        float[][] inputs = RandomInputs(Threads * CallsPerThread, StackedClassifier.Timesteps * StackedClassifier.InputDim, seed: 5);

        // Serially, on one instance.
        float[][] serial = inputs.Select(input => first.Predict(input)[0]).ToArray();

        // In parallel, one instance per thread, each given the same weights.
        var parallel = new float[inputs.Length][];
        RunTogether(thread =>
        {
            var own = new StackedClassifier();
            own.SetWeights(weights);
            for (int call = 0; call < CallsPerThread; call++)
            {
                int index = call * Threads + thread; // interleaved, so neighbouring inputs run on different threads
                parallel[index] = own.Predict(inputs[index])[0];
            }
        });

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(serial[i], parallel[i]); // bit for bit: the same code on the same inputs and weights
        }
    }

    [Fact]
    public void Typed_Forward_and_batch_Forward_on_separate_instances_in_parallel_equal_serial_calls()
    {
        var first = new SmallLstm(seed: 3);
        float[][] weights = first.GetWeights();
        SmallLstm.Input[] inputs = Enumerable.Range(0, Threads * 16).Select(i => TypedInput(i)).ToArray();
        // Half of each share of 16 through the single-sequence Forward, half through the batch one (whose kernels sum in
        // another order, so each index is compared with the same call made serially).
        void RunShare(SmallLstm model, int thread, SmallLstm.Output[] outputs)
        {
            for (int i = thread * 16; i < thread * 16 + 8; i++)
            {
                model.Forward(in inputs[i], out outputs[i]);
            }

            model.Forward(inputs.AsSpan(thread * 16 + 8, 8), outputs.AsSpan(thread * 16 + 8, 8));
        }

        var serial = new SmallLstm.Output[inputs.Length];
        for (int thread = 0; thread < Threads; thread++)
        {
            RunShare(first, thread, serial);
        }

        var parallel = new SmallLstm.Output[inputs.Length];
        RunTogether(thread =>
        {
            var own = new SmallLstm();
            own.SetWeights(weights);
            for (int repeat = 0; repeat < 20; repeat++)
            {
                RunShare(own, thread, parallel);
            }
        });

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(Floats(serial[i]), Floats(parallel[i]));
        }
    }

    [Fact]
    public void Stateful_instances_in_parallel_each_keep_their_own_stream()
    {
        // Each thread feeds its own stream of batches to its own stateful instance; alone, the same instance gives the
        // same outputs. A stream's state never leaks into another instance's.
        var first = new StatefulTagger(seed: 7);
        float[][] weights = first.GetWeights();
        float[][][] streams = Enumerable.Range(0, Threads)
            .Select(t => RandomInputs(30, StatefulTagger.Timesteps * StatefulTagger.InputDim * 2, seed: 100 + t)) // batch of 2 per call
            .ToArray();

        float[][][] Serial(int thread)
        {
            var alone = new StatefulTagger();
            alone.SetWeights(weights);
            return streams[thread].Select(batch => alone.Predict(batch)).Select(o => o[0]).Select(o => new[] { o }).ToArray();
        }

        float[][][][] expected = Enumerable.Range(0, Threads).Select(Serial).ToArray();
        var actual = new float[Threads][][][];
        RunTogether(thread =>
        {
            var own = new StatefulTagger();
            own.SetWeights(weights);
            actual[thread] = streams[thread].Select(batch => new[] { own.Predict(batch)[0] }).ToArray();
        });

        for (int thread = 0; thread < Threads; thread++)
        {
            for (int call = 0; call < streams[thread].Length; call++)
            {
                Assert.Equal(expected[thread][call][0], actual[thread][call][0]);
            }
        }
    }

    [Fact]
    public void Read_only_members_of_one_instance_may_be_called_from_several_threads()
    {
        var shared = new StackedClassifier(seed: 2);
        float[][] expected = shared.GetWeights();
        var failures = new List<string>();
        RunTogether(thread =>
        {
            for (int call = 0; call < CallsPerThread; call++)
            {
                float[][] weights = shared.GetWeights();
                ModelInfo info = StackedClassifier.Info;
                if (!weights.Zip(expected).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)) || info.ParameterCount != StackedClassifier.ParameterCount)
                {
                    lock (failures)
                    {
                        failures.Add($"thread {thread}, call {call}");
                    }
                }
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Weights_copied_to_per_thread_instances_are_independent_copies()
    {
        // docs/concurrency.md: each instance owns its weights; changing one instance's leaves the others as they were.
        var first = new StackedClassifier(seed: 4);
        var second = new StackedClassifier();
        float[][] weights = first.GetWeights();
        second.SetWeights(weights);
        weights[0][0] += 1f; // the caller's arrays are copied, not kept
        Assert.Equal(first.GetWeights()[0][0], second.GetWeights()[0][0]);

        second.SetWeights(second.GetWeights().Select(w => new float[w.Length]).ToArray());
        Assert.NotEqual(0f, first.GetWeights().SelectMany(w => w).Select(Math.Abs).Max());
    }

    // Runs body(thread) on Threads threads that start together.
    private static void RunTogether(Action<int> body)
    {
        using var barrier = new Barrier(Threads);
        var exceptions = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                barrier.SignalAndWait();
                body(t);
            }
            catch (Exception e)
            {
                exceptions.Enqueue(e);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        if (!exceptions.IsEmpty)
        {
            throw new AggregateException(exceptions);
        }
    }

    private static float[][] RandomInputs(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray();
    }

    private static SmallLstm.Input TypedInput(int seed)
    {
        var input = default(SmallLstm.Input);
        Span<float> floats = GeneratedModelSupport.AsFloats(ref input);
        var random = new Random(seed);
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return input;
    }

    private static float[] Floats(SmallLstm.Output output) => GeneratedModelSupport.AsReadOnlyFloats(in output).ToArray();
}
