using System;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// The typed Forward of a warm model allocates nothing: its tensors are fixed-size values (or caller-owned objects for
/// large models) and its working memory is allocated with the model. Measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, which counts every managed allocation of this thread.
/// </summary>
public class AllocationTests
{
    private const int Calls = 50;

    // The fewest bytes allocated by Calls calls in any of three windows. A warm call that allocates does so in every
    // window; what the runtime itself allocates on this thread once (a method's on-stack-replacement compilation, which
    // runs on the thread that reaches the loop, can load types there) lands in one window only. Seen once in a full run:
    // 6880 bytes in one window of an allocation-free batch call.
    private static long AllocatedBy(Action call)
    {
        call(); // warm: JIT, static initializers, a stateful model's first-call state buffer
        call();
        long fewest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }

    [Fact]
    public void Measurement_sees_an_allocation()
    {
        // The control: a call that does allocate is seen, so a zero below means nothing was allocated.
        var model = new SmallLstm();
        float[] input = new float[SmallLstm.Timesteps * SmallLstm.InputDim];
        Assert.True(AllocatedBy(() => model.Predict(input)) >= Calls * 3 * 24);
    }

    [Fact]
    public void Forward_of_a_single_layer_allocates_nothing()
    {
        var model = new SmallLstm();
        SmallLstm.Input input = default;
        input[1][2] = 0.5f;
        SmallLstm.Output output = default;
        Assert.Equal(0, AllocatedBy(() => model.Forward(in input, out output)));
        Assert.NotEqual(0f, output.Result[3][0]); // it did run
    }

    [Fact]
    public void Forward_with_an_initial_state_allocates_nothing()
    {
        var model = new SmallLstm();
        SmallLstm.Input input = default;
        SmallLstm.InitialState initial = default;
        initial.StateH[0] = 1f;
        initial.StateC[2] = -1f;
        Assert.Equal(0, AllocatedBy(() => model.Forward(in input, in initial, out SmallLstm.Output _)));
    }

    [Fact]
    public void Forward_of_a_stack_allocates_nothing()
    {
        var model = new StackedClassifier();
        StackedClassifier.Input input = default;
        input[0][0] = 1f;
        Assert.Equal(0, AllocatedBy(() => model.Forward(in input, out StackedClassifier.Output _)));
    }

    [Fact]
    public void Forward_of_a_stateful_model_allocates_nothing_once_warm()
    {
        var model = new StatefulTagger();
        StatefulTagger.Input input = default;
        input[2][1] = 1f;
        Assert.Equal(0, AllocatedBy(() => model.Forward(in input, out StatefulTagger.Output _)));
    }

    [Fact]
    public void Forward_of_a_large_model_into_a_reused_output_allocates_nothing()
    {
        var model = new LongSequenceRnn();
        var input = new LongSequenceRnn.Input();
        var output = new LongSequenceRnn.Output();
        Assert.Equal(0, AllocatedBy(() => model.Forward(in input, output)));
    }

    [Fact]
    public void Streaming_steps_allocate_nothing()
    {
        var model = new StatefulTagger();
        StatefulTagger.InputStep sample = default;
        sample[0] = 0.5f;
        StatefulTagger.OutputStep output = default;
        Assert.Equal(0, AllocatedBy(() => model.Step(in sample, out output)));
        float[] input = { 1f, -1f }, result = new float[StatefulTagger.OutputDim];
        Assert.Equal(0, AllocatedBy(() => model.Step(input, result)));
        Assert.NotEqual(0f, result[0]); // it did run
    }

    [Fact]
    public void Batch_calls_allocate_nothing()
    {
        // 9 sequences: two chunks through the batched kernels and one sequence alone.
        var model = new StackedClassifier();
        var inputs = new StackedClassifier.Input[9];
        var outputs = new StackedClassifier.Output[9];
        inputs[4][2][1] = 1f;
        Assert.Equal(0, AllocatedBy(() => model.Forward(inputs, outputs)));
        float[] flat = new float[9 * StackedClassifier.Timesteps * StackedClassifier.InputDim];
        float[] result = new float[9 * StackedClassifier.OutputDim];
        Assert.Equal(0, AllocatedBy(() => model.Predict(flat, result)));
        Assert.Equal(1f, result[0] + result[1] + result[2], 5); // softmax: it did run
    }

    [Fact]
    public void The_parallel_overload_allocates_nothing_when_it_stays_on_one_thread()
    {
        // Degree 1, and a batch of one chunk (4 sequences) or less at any degree, run on the calling thread. The calls
        // that do spread over cores are counted on every thread in ParallelAllocationTests.
        var model = new StackedClassifier();
        var inputs = new StackedClassifier.Input[9];
        var outputs = new StackedClassifier.Output[9];
        inputs[0][1][0] = 1f;
        Assert.Equal(0, AllocatedBy(() => model.Forward(inputs, outputs, maxDegreeOfParallelism: 1)));
        var few = new StackedClassifier.Input[3];
        var fewOutputs = new StackedClassifier.Output[3];
        Assert.Equal(0, AllocatedBy(() => model.Forward(few, fewOutputs, maxDegreeOfParallelism: 8)));
        Assert.Equal(1f, fewOutputs[2].Result[0] + fewOutputs[2].Result[1] + fewOutputs[2].Result[2], 5); // it did run
    }
}
