using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace RnnGen;

/// <summary>
/// Runs one piece of work split over several threads, the calling thread taking part, without allocating once warm.
/// The base of the generated models' parallel batch call; not meant to be used directly.
/// </summary>
/// <remarks>
/// <c>Parallel.For</c> allocates about 2 KB per call (its task, replication state and the closure), which a real-time
/// caller running a batch per audio buffer or per frame would feel as garbage-collector work. This class keeps one
/// thread-pool work item per extra worker and one completion event, queues the items with
/// <see cref="ThreadPool.UnsafeQueueUserWorkItem(IThreadPoolWorkItem, bool)"/>, runs worker 0 on the caller, then runs
/// on the caller any item no pool thread has picked up yet. An exception thrown by any worker is rethrown on the caller after every worker has finished. One instance runs one
/// call at a time, like the model that owns it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ParallelWork
{
    private readonly ManualResetEventSlim _allDone = new(initialState: true);
    private WorkItem[] _items = Array.Empty<WorkItem>();
    private int _workers;
    private int _pending;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Runs <see cref="RunWorker"/> for workers 0 to <paramref name="workers"/> - 1 and returns when all have finished.</summary>
    /// <param name="workers">How many workers share the work; 1 runs it on the calling thread alone.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
    public void Run(int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker is needed.");
        }

        if (_items.Length < workers - 1)
        {
            var items = new WorkItem[workers - 1];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = new WorkItem(this, i + 1);
            }

            _items = items;
        }

        _workers = workers;
        _failure = null;
        _pending = workers - 1;
        if (workers > 1)
        {
            _allDone.Reset();
            for (int i = 0; i < workers - 1; i++)
            {
                _items[i].Open();
                ThreadPool.UnsafeQueueUserWorkItem(_items[i], preferLocal: false);
            }
        }

        try
        {
            RunWorker(0, workers);
        }
        catch (Exception e)
        {
            Record(e);
        }

        // The shares no pool thread has started yet run here: on a busy thread pool (a server calling from its own pool
        // threads, say) the call then finishes at the speed of one core instead of waiting for a free thread.
        for (int i = 0; i < workers - 1; i++)
        {
            _items[i].TryRun();
        }

        // Even when worker 0 failed: the others still use the caller's buffers until they finish.
        _allDone.Wait();
        ExceptionDispatchInfo? failure = _failure;
        _failure = null;
        failure?.Throw();
    }

    /// <summary>Runs worker <paramref name="worker"/>'s share of the work.</summary>
    /// <param name="worker">This worker's index, from 0 (the calling thread) to <paramref name="workers"/> - 1.</param>
    /// <param name="workers">How many workers share the work.</param>
    protected abstract void RunWorker(int worker, int workers);

    // The first failure wins; the others are dropped, as the caller can only see one.
    private void Record(Exception e) => Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);

    private void Finish()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _allDone.Set();
        }
    }

    // One worker's share. Whoever claims it first runs it: a pool thread through Execute, or the caller through TryRun.
    // A queued item the caller already ran stays in the pool's queue and finds itself claimed when it comes up. If a
    // later call has opened it again by then, that call has already set up its work, so running it runs that call's
    // share, and the later call's own queued entry is the one that finds it claimed.
    private sealed class WorkItem : IThreadPoolWorkItem
    {
        private readonly ParallelWork _owner;
        private readonly int _worker;
        private int _claimed = 1;

        public WorkItem(ParallelWork owner, int worker)
        {
            _owner = owner;
            _worker = worker;
        }

        public void Open() => Volatile.Write(ref _claimed, 0);

        public void Execute() => TryRun();

        public void TryRun()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            try
            {
                _owner.RunWorker(_worker, _owner._workers);
            }
            catch (Exception e)
            {
                _owner.Record(e);
            }
            finally
            {
                _owner.Finish();
            }
        }
    }
}
