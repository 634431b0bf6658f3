// The generated API the benchmarks call, as interfaces the generated models implement implicitly: a generic harness
// then drives every model through one code path (one interface call per invocation, the same for the baselines'
// virtual call), instead of 28 hand-copied benchmark bodies.
using System;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Models;

/// <summary>
/// The existing whole-sequence call, <c>Forward(in Input, out Output)</c>, and the <c>Predict</c> overload with Keras
/// <c>initial_state</c> (every model here has exactly one recurrent layer, so the generator emits it): the agreement
/// checks use it to start the generated model from a baseline's state.
/// </summary>
public interface IWholeSequenceModel<TInput, TOutput> : IRnnModel
    where TInput : struct
    where TOutput : struct
{
    void Forward(in TInput input, out TOutput output);

    float[][] Predict(ReadOnlySpan<float> input, System.Collections.Generic.IReadOnlyList<float[]> initialState);
}

/// <summary>
/// Lets a registry holding a model as one interface reach its streaming runners without naming the generated
/// InputStep/OutputStep types (the generic <see cref="IStreamingModel{TInputStep, TOutputStep}"/> supplies them).
/// </summary>
public interface IStepRunnerSource
{
    StreamingRunner CreateStepRunner();

    StreamingRunner CreateSpanStepRunner();
}

/// <summary>The same for the batch runners of <see cref="IBatchModel{TInput, TOutput}"/>.</summary>
public interface IBatchRunnerSource
{
    /// <param name="batch">Sequences per call.</param>
    /// <param name="maxDegreeOfParallelism">0 for the overload without it; otherwise the value passed.</param>
    SequenceRunner CreateBatchRunner(int batch, int maxDegreeOfParallelism);
}

/// <summary>The streaming API of causal models: one timestep per call, the state kept inside the model.</summary>
public interface IStreamingModel<TInputStep, TOutputStep> : IRnnModel, IStepRunnerSource
    where TInputStep : struct
    where TOutputStep : struct
{
    void Step(in TInputStep input, out TOutputStep output);

    void Step(ReadOnlySpan<float> input, Span<float> output);

    StreamingRunner IStepRunnerSource.CreateStepRunner() => new GeneratedStepRunner<TInputStep, TOutputStep>(this);

    StreamingRunner IStepRunnerSource.CreateSpanStepRunner() => new GeneratedSpanStepRunner<TInputStep, TOutputStep>(this);
}

/// <summary>
/// The batch API: many sequences in one call, the recurrent product a matrix-matrix product across the batch. The
/// parallel overload takes Memory rather than Span (its workers run on other threads), as the generator emits it.
/// </summary>
public interface IBatchModel<TInput, TOutput> : IRnnModel, IBatchRunnerSource
    where TInput : struct
    where TOutput : struct
{
    void Forward(ReadOnlySpan<TInput> inputs, Span<TOutput> outputs);

    void Forward(ReadOnlyMemory<TInput> inputs, Memory<TOutput> outputs, int maxDegreeOfParallelism);

    SequenceRunner IBatchRunnerSource.CreateBatchRunner(int batch, int maxDegreeOfParallelism) =>
        new GeneratedBatchRunner<TInput, TOutput>(this, batch, maxDegreeOfParallelism);
}

public partial class LstmStep8x1 : IWholeSequenceModel<LstmStep8x1.Input, LstmStep8x1.Output>;

public partial class LstmStep8x8 : IWholeSequenceModel<LstmStep8x8.Input, LstmStep8x8.Output>;

public partial class LstmStep16x1 : IWholeSequenceModel<LstmStep16x1.Input, LstmStep16x1.Output>;

public partial class LstmStep16x8 : IWholeSequenceModel<LstmStep16x8.Input, LstmStep16x8.Output>;

public partial class LstmStep32x1 : IWholeSequenceModel<LstmStep32x1.Input, LstmStep32x1.Output>;

public partial class LstmStep32x8 : IWholeSequenceModel<LstmStep32x8.Input, LstmStep32x8.Output>;

public partial class LstmStep64x1 : IWholeSequenceModel<LstmStep64x1.Input, LstmStep64x1.Output>;

public partial class LstmStep64x8 : IWholeSequenceModel<LstmStep64x8.Input, LstmStep64x8.Output>;

public partial class LstmStep128x1 : IWholeSequenceModel<LstmStep128x1.Input, LstmStep128x1.Output>;

public partial class LstmStep128x8 : IWholeSequenceModel<LstmStep128x8.Input, LstmStep128x8.Output>;

public partial class GruStep8x1 : IWholeSequenceModel<GruStep8x1.Input, GruStep8x1.Output>;

public partial class GruStep8x8 : IWholeSequenceModel<GruStep8x8.Input, GruStep8x8.Output>;

public partial class GruStep16x1 : IWholeSequenceModel<GruStep16x1.Input, GruStep16x1.Output>;

public partial class GruStep16x8 : IWholeSequenceModel<GruStep16x8.Input, GruStep16x8.Output>;

public partial class GruStep32x1 : IWholeSequenceModel<GruStep32x1.Input, GruStep32x1.Output>;

public partial class GruStep32x8 : IWholeSequenceModel<GruStep32x8.Input, GruStep32x8.Output>;

public partial class GruStep64x1 : IWholeSequenceModel<GruStep64x1.Input, GruStep64x1.Output>;

public partial class GruStep64x8 : IWholeSequenceModel<GruStep64x8.Input, GruStep64x8.Output>;

public partial class GruStep128x1 : IWholeSequenceModel<GruStep128x1.Input, GruStep128x1.Output>;

public partial class GruStep128x8 : IWholeSequenceModel<GruStep128x8.Input, GruStep128x8.Output>;

public partial class SimpleRnnSequence16 : IWholeSequenceModel<SimpleRnnSequence16.Input, SimpleRnnSequence16.Output>;

public partial class SimpleRnnSequence32 : IWholeSequenceModel<SimpleRnnSequence32.Input, SimpleRnnSequence32.Output>;

public partial class SimpleRnnSequence64 : IWholeSequenceModel<SimpleRnnSequence64.Input, SimpleRnnSequence64.Output>;

public partial class SimpleRnnSequence128 : IWholeSequenceModel<SimpleRnnSequence128.Input, SimpleRnnSequence128.Output>;

public partial class LstmSequence16 : IWholeSequenceModel<LstmSequence16.Input, LstmSequence16.Output>;

public partial class LstmSequence32 : IWholeSequenceModel<LstmSequence32.Input, LstmSequence32.Output>;

public partial class LstmSequence64 : IWholeSequenceModel<LstmSequence64.Input, LstmSequence64.Output>;

public partial class LstmSequence128 : IWholeSequenceModel<LstmSequence128.Input, LstmSequence128.Output>;

public partial class GruSequence16 : IWholeSequenceModel<GruSequence16.Input, GruSequence16.Output>;

public partial class GruSequence32 : IWholeSequenceModel<GruSequence32.Input, GruSequence32.Output>;

public partial class GruSequence64 : IWholeSequenceModel<GruSequence64.Input, GruSequence64.Output>;

public partial class GruSequence128 : IWholeSequenceModel<GruSequence128.Input, GruSequence128.Output>;

public partial class BiLstmSequence16 : IWholeSequenceModel<BiLstmSequence16.Input, BiLstmSequence16.Output>;

public partial class BiLstmSequence32 : IWholeSequenceModel<BiLstmSequence32.Input, BiLstmSequence32.Output>;

public partial class BiLstmSequence64 : IWholeSequenceModel<BiLstmSequence64.Input, BiLstmSequence64.Output>;

public partial class BiLstmSequence128 : IWholeSequenceModel<BiLstmSequence128.Input, BiLstmSequence128.Output>;

public partial class LstmStep8x1 : IStreamingModel<LstmStep8x1.InputStep, LstmStep8x1.OutputStep>;
public partial class LstmStep8x8 : IStreamingModel<LstmStep8x8.InputStep, LstmStep8x8.OutputStep>;
public partial class LstmStep16x1 : IStreamingModel<LstmStep16x1.InputStep, LstmStep16x1.OutputStep>;
public partial class LstmStep16x8 : IStreamingModel<LstmStep16x8.InputStep, LstmStep16x8.OutputStep>;
public partial class LstmStep32x1 : IStreamingModel<LstmStep32x1.InputStep, LstmStep32x1.OutputStep>;
public partial class LstmStep32x8 : IStreamingModel<LstmStep32x8.InputStep, LstmStep32x8.OutputStep>;
public partial class LstmStep64x1 : IStreamingModel<LstmStep64x1.InputStep, LstmStep64x1.OutputStep>;
public partial class LstmStep64x8 : IStreamingModel<LstmStep64x8.InputStep, LstmStep64x8.OutputStep>;
public partial class LstmStep128x1 : IStreamingModel<LstmStep128x1.InputStep, LstmStep128x1.OutputStep>;
public partial class LstmStep128x8 : IStreamingModel<LstmStep128x8.InputStep, LstmStep128x8.OutputStep>;
public partial class GruStep8x1 : IStreamingModel<GruStep8x1.InputStep, GruStep8x1.OutputStep>;
public partial class GruStep8x8 : IStreamingModel<GruStep8x8.InputStep, GruStep8x8.OutputStep>;
public partial class GruStep16x1 : IStreamingModel<GruStep16x1.InputStep, GruStep16x1.OutputStep>;
public partial class GruStep16x8 : IStreamingModel<GruStep16x8.InputStep, GruStep16x8.OutputStep>;
public partial class GruStep32x1 : IStreamingModel<GruStep32x1.InputStep, GruStep32x1.OutputStep>;
public partial class GruStep32x8 : IStreamingModel<GruStep32x8.InputStep, GruStep32x8.OutputStep>;
public partial class GruStep64x1 : IStreamingModel<GruStep64x1.InputStep, GruStep64x1.OutputStep>;
public partial class GruStep64x8 : IStreamingModel<GruStep64x8.InputStep, GruStep64x8.OutputStep>;
public partial class GruStep128x1 : IStreamingModel<GruStep128x1.InputStep, GruStep128x1.OutputStep>;
public partial class GruStep128x8 : IStreamingModel<GruStep128x8.InputStep, GruStep128x8.OutputStep>;

public partial class SimpleRnnSequence16 : IBatchModel<SimpleRnnSequence16.Input, SimpleRnnSequence16.Output>;
public partial class SimpleRnnSequence32 : IBatchModel<SimpleRnnSequence32.Input, SimpleRnnSequence32.Output>;
public partial class SimpleRnnSequence64 : IBatchModel<SimpleRnnSequence64.Input, SimpleRnnSequence64.Output>;
public partial class SimpleRnnSequence128 : IBatchModel<SimpleRnnSequence128.Input, SimpleRnnSequence128.Output>;
public partial class LstmSequence16 : IBatchModel<LstmSequence16.Input, LstmSequence16.Output>;
public partial class LstmSequence32 : IBatchModel<LstmSequence32.Input, LstmSequence32.Output>;
public partial class LstmSequence64 : IBatchModel<LstmSequence64.Input, LstmSequence64.Output>;
public partial class LstmSequence128 : IBatchModel<LstmSequence128.Input, LstmSequence128.Output>;
public partial class GruSequence16 : IBatchModel<GruSequence16.Input, GruSequence16.Output>;
public partial class GruSequence32 : IBatchModel<GruSequence32.Input, GruSequence32.Output>;
public partial class GruSequence64 : IBatchModel<GruSequence64.Input, GruSequence64.Output>;
public partial class GruSequence128 : IBatchModel<GruSequence128.Input, GruSequence128.Output>;
public partial class BiLstmSequence16 : IBatchModel<BiLstmSequence16.Input, BiLstmSequence16.Output>;
public partial class BiLstmSequence32 : IBatchModel<BiLstmSequence32.Input, BiLstmSequence32.Output>;
public partial class BiLstmSequence64 : IBatchModel<BiLstmSequence64.Input, BiLstmSequence64.Output>;
public partial class BiLstmSequence128 : IBatchModel<BiLstmSequence128.Input, BiLstmSequence128.Output>;

/// <summary>The multi-stream API: one timestep of N independent streams per call, states held by the model or the caller.</summary>
public interface IMultiStreamModel : IRnnModel
{
    int StreamCount { get; }

    void Step(ReadOnlySpan<float> input, Span<float> output);

    void ResetStreams(int streams);

    void StepStreams(ReadOnlySpan<float> inputs, Span<float> outputs);

    void StepStreams(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> states);
}

public partial class LstmStep32x8 : IMultiStreamModel;
public partial class LstmStep128x8 : IMultiStreamModel;
public partial class GruStep32x8 : IMultiStreamModel;
public partial class GruStep128x8 : IMultiStreamModel;
