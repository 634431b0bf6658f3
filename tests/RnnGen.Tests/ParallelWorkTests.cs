using System;
using System.Threading;

namespace RnnGen.Tests;

/// <summary>The worker pool behind the generated parallel batch call: every share runs once, failures reach the caller.</summary>
public class ParallelWorkTests
{
    private sealed class Recorder : ParallelWork
    {
        public int[] Runs = new int[0];
        public int SeenWorkers;
        public int FailingWorker = -1;

        protected override void RunWorker(int worker, int workers)
        {
            Volatile.Write(ref SeenWorkers, workers);
            Interlocked.Increment(ref Runs[worker]);
            if (worker == FailingWorker)
            {
                throw new InvalidOperationException($"worker {worker} failed");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Every_worker_runs_exactly_once_per_call(int workers)
    {
        var work = new Recorder();
        for (int call = 1; call <= 3; call++)
        {
            work.Runs = new int[workers];
            work.Run(workers);
            Assert.All(work.Runs, runs => Assert.Equal(1, runs));
            Assert.Equal(workers, work.SeenWorkers);
        }
    }

    [Theory]
    [InlineData(0)] // the calling thread
    [InlineData(2)] // a thread-pool worker
    public void A_failing_worker_is_rethrown_after_the_others_finish(int failing)
    {
        var work = new Recorder { Runs = new int[3], FailingWorker = failing };
        var error = Assert.Throws<InvalidOperationException>(() => work.Run(3));
        Assert.Equal($"worker {failing} failed", error.Message);
        Assert.All(work.Runs, runs => Assert.Equal(1, runs));

        // The next call starts clean.
        work.FailingWorker = -1;
        work.Runs = new int[3];
        work.Run(3);
        Assert.All(work.Runs, runs => Assert.Equal(1, runs));
    }

    [Fact]
    public void Zero_workers_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Recorder().Run(0));
    }
}
