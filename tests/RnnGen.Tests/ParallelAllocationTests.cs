using System;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>Runs alone: it counts the allocations of every thread, which tests running beside it would add to.</summary>
[CollectionDefinition(nameof(ParallelAllocationTests), DisableParallelization = true)]
public sealed class ParallelAllocationCollection;

/// <summary>
/// The parallel batch overload allocates nothing once warm, on any thread. The work runs on thread-pool threads, so
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> would not see it; <see cref="GC.GetTotalAllocatedBytes(bool)"/>
/// counts every thread of the process, including the test runner's own bookkeeping, so the assertion takes the
/// quietest of several rounds: an allocation in the overload shows in every round, the runner's only in some.
/// </summary>
[Collection(nameof(ParallelAllocationTests))]
public class ParallelAllocationTests
{
    private const int Calls = 50;
    private const int Rounds = 10;

    /// <summary>The fewest bytes that <see cref="Calls"/> warm calls allocated on all threads, over <see cref="Rounds"/> rounds.</summary>
    internal static long FewestBytesAllocatedBy(Action call)
    {
        for (int i = 0; i < 20; i++)
        {
            call(); // warm: JIT, the workers, their scratch, thread-pool threads
        }

        long fewest = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < Calls; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return fewest;
    }

    [Fact]
    public void Measurement_sees_an_allocation_on_a_pool_thread()
    {
        // The control: 50 allocations of 24 bytes or more on thread-pool threads are seen in every round.
        Assert.True(FewestBytesAllocatedBy(() => System.Threading.Tasks.Task.Run(() => new object()).Wait()) >= Calls * 24);
    }

    [Fact]
    public void The_parallel_overload_allocates_nothing_on_any_thread()
    {
        // 18 sequences: four chunks spread over two workers, and two sequences alone.
        var model = new StackedClassifier();
        var inputs = new StackedClassifier.Input[18];
        var outputs = new StackedClassifier.Output[18];
        inputs[17][5][2] = 1f;
        Assert.Equal(0, FewestBytesAllocatedBy(() => model.Forward(inputs, outputs, maxDegreeOfParallelism: 2)));
        Assert.Equal(1f, outputs[17].Result[0] + outputs[17].Result[1] + outputs[17].Result[2], 5); // it did run
    }

    [Fact]
    public void The_parallel_overload_of_a_masking_model_allocates_nothing_on_any_thread()
    {
        // 18 padded sequences: the workers run their chunks one sequence at a time, each on its own memory (the mask of
        // each sequence on its worker's stack).
        var model = new PaddedForecaster(seed: 1);
        var inputs = new PaddedForecaster.Input[18];
        var outputs = new PaddedForecaster.Output[18];
        for (int b = 0; b < inputs.Length; b++)
        {
            inputs[b][0][0] = 1f; // the first timestep kept, the rest padding
        }

        Assert.Equal(0, FewestBytesAllocatedBy(() => model.Forward(inputs, outputs, maxDegreeOfParallelism: 2)));
        Assert.NotEqual(0f, outputs[0].Result[0]); // it did run
    }
}

/// <summary>
/// Runs alone too: it fills the thread pool with blocked work items, which would stall tests running beside it.
/// </summary>
[Collection(nameof(ParallelAllocationTests))]
public class ParallelWorkOnABusyPoolTests
{
    private sealed class ThreadRecorder : ParallelWork
    {
        public readonly int[] Threads = new int[3];

        protected override void RunWorker(int worker, int workers) => Threads[worker] = Environment.CurrentManagedThreadId;
    }

    [Fact]
    public void Shares_no_pool_thread_has_started_run_on_the_caller()
    {
        // Every pool thread is blocked and more blocked items wait ahead of ours in the queue, so no pool thread can
        // start our shares before the caller gets to them: without the caller taking them, Run would wait for the
        // blockers to be released, which only happens after Run returns.
        // Not disposed: blocked items may still be waking up on it after the test ends.
        var release = new System.Threading.ManualResetEventSlim(false);
        int blockers = Math.Max(System.Threading.ThreadPool.ThreadCount, Environment.ProcessorCount) * 4 + 16;
        for (int i = 0; i < blockers; i++)
        {
            System.Threading.ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(), null);
        }

        try
        {
            var work = new ThreadRecorder();
            work.Run(3);
            Assert.All(work.Threads, thread => Assert.Equal(Environment.CurrentManagedThreadId, thread));
        }
        finally
        {
            release.Set();
        }
    }
}
