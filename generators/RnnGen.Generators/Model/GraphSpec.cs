using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Shared;

namespace RnnGen.Generators.Model;

/// <summary>
/// A validated <c>[Graph]</c> model: its inputs, its nodes in an order in which every node comes after the tensors it
/// reads, and its outputs. Equatable and free of symbols, like <see cref="ModelSpec"/>.
/// </summary>
internal sealed record GraphSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    EquatableArray<GraphInputSpec> Inputs,
    EquatableArray<GraphNodeSpec> Nodes,
    EquatableArray<string> Outputs)
{
    /// <summary>File name of the generated source: namespace, containing types and class, dotted (a model's name, another suffix).</summary>
    public string HintName => ModelSpec.DottedHintName(Namespace, ContainingTypes, ClassName, ".RnnGen.Graph.g.cs");
}

/// <summary>A <c>[GraphInput]</c>: its name, shape, and the chain model whose <c>Input</c> type its parameter has.</summary>
internal sealed record GraphInputSpec(string Name, int Timesteps, int InputDim, string ParameterType);

/// <summary>What a graph needs to know of a chain model (a <c>[Sequential]</c> class): its types and shapes.</summary>
/// <param name="TypeName">The class, fully qualified with <c>global::</c>.</param>
/// <param name="DisplayName">The class as messages name it.</param>
/// <param name="ResultTimesteps">Timesteps of its <c>Result</c>, 0 when it is a vector.</param>
/// <param name="StateFields">The <c>Output</c> fields of its returned states, in Keras order (none without ReturnState).</param>
/// <param name="InitialStateFields">The <c>InitialState</c> fields of its one recurrent layer, in Keras order (none unless it has exactly one).</param>
/// <param name="WeightArrays">How many arrays its <c>GetWeights</c> returns.</param>
/// <param name="LayerCount">How many layers it declares (a graph's <c>Layers</c> names one file layer for each).</param>
/// <param name="MaskValue">The mask value of its <c>[Masking]</c> (0 for an Embedding's token 0).</param>
/// <param name="MaskLayer">Its <c>[Masking]</c> or <c>[Embedding(MaskZero = true)]</c>, whatever its result; null when it has neither.</param>
/// <param name="ResetsMask">
/// Its first layer is <c>[Masking]</c> or <c>[Embedding]</c>, whose Keras mask depends on the data alone: a mask that comes
/// with the tensor it reads goes no further.
/// </param>
/// <param name="TakesMask">It has the masked <c>Forward</c> overloads (a recurrent layer or GlobalAveragePooling1D reads the mask).</param>
/// <param name="DropsMask">
/// It has a layer that changes the timesteps (<c>[Conv1D]</c>, pooling, <c>[Flatten]</c>, ...): Keras's do not support
/// masking, and drop the mask (Keras 3 with a warning).
/// </param>
/// <param name="MaskBlocker">
/// That layer when a layer before it would read the mask (a recurrent layer, GlobalAveragePooling1D), which the chain
/// cannot be given; null otherwise.
/// </param>
internal sealed record GraphChain(
    string TypeName,
    string DisplayName,
    int Timesteps,
    int InputDim,
    int ResultTimesteps,
    int ResultWidth,
    EquatableArray<string> StateFields,
    int StateWidth,
    EquatableArray<string> InitialStateFields,
    int InitialStateWidth,
    int WeightArrays,
    int LayerCount,
    float MaskValue,
    string? MaskLayer,
    bool ResetsMask,
    bool TakesMask,
    bool DropsMask,
    string? MaskBlocker)
{
    /// <summary>Whether it computes a mask from its input for its own layers (<see cref="MaskLayer"/> set).</summary>
    public bool MakesMask => MaskLayer is not null;

    /// <summary>
    /// Its <see cref="MaskLayer"/> when its <c>Result</c> is a sequence, which in Keras carries that mask on to the layers
    /// that read it; null otherwise.
    /// </summary>
    public string? MaskSource => ResultTimesteps > 0 ? MaskLayer : null;
}

/// <summary>A Keras <c>Attention</c> or <c>AdditiveAttention</c> node: its options and sizes (reads: query, value, key).</summary>
internal sealed record GraphAttention(bool Additive, bool UseScale, bool Concat, int QueryTimesteps, int ValueTimesteps, int KeyWidth, int ValueWidth)
{
    /// <summary>Its weight arrays in Keras order, with their lengths: <c>scale</c>, then <c>concat_score_weight</c>.</summary>
    public EquatableArray<(string Name, int Length)> Weights => (UseScale && Concat
        ? new[] { ("scale", Additive ? KeyWidth : 1), ("concat_score_weight", 1) }
        : UseScale ? new[] { ("scale", Additive ? KeyWidth : 1) }
        : Concat ? new[] { ("concat_score_weight", 1) }
        : System.Array.Empty<(string, int)>()).ToEquatableArray();
}

/// <summary>
/// A Keras <c>MultiHeadAttention</c> node: its options and sizes (reads: query, value, key). <see cref="OutputWidth"/> is
/// Keras's <c>output_shape</c> resolved (the query's width by default).
/// </summary>
internal sealed record GraphMultiHeadAttention(
    int Heads, int KeyDim, int ValueDim, bool UseBias, bool Causal, int OutputWidth,
    int QueryTimesteps, int ValueTimesteps, int QueryWidth, int ValueWidth, int KeyWidth)
{
    /// <summary>Its weight arrays in Keras <c>get_weights()</c> order, with their shapes (<see cref="MultiHeadAttentionShapes"/>).</summary>
    public (string Name, int[] Shape)[] Shapes =>
        MultiHeadAttentionShapes.Weights(QueryWidth, ValueWidth, KeyWidth, Heads, KeyDim, ValueDim, OutputWidth, UseBias);

    /// <summary>Its weight arrays in Keras <c>get_weights()</c> order, with their lengths.</summary>
    public EquatableArray<(string Name, int Length)> Weights =>
        Shapes.Select(w => (w.Name, MultiHeadAttentionShapes.Length(w.Shape))).ToEquatableArray();
}

/// <summary>
/// A Keras <c>Dot</c> merge's two inputs (timesteps 0 for a vector) and, for each, whether its dot axis is the time axis
/// (<see cref="RnnGen.Shared.DotShapes"/>).
/// </summary>
internal sealed record GraphDot(bool Normalize, int XTimesteps, int XWidth, bool XOverTime, int YTimesteps, int YWidth, bool YOverTime);

/// <summary>
/// A node: a chain model applied to one tensor (<see cref="Chain"/> set), or a merge of several (<see cref="Operation"/>
/// set). <see cref="Timesteps"/> and <see cref="Width"/> are the node's output shape (its chain's <c>Result</c>).
/// </summary>
internal sealed record GraphNodeSpec(string Name, EquatableArray<string> Reads, int Timesteps, int Width)
{
    public GraphChain? Chain { get; init; }

    /// <summary>
    /// The file layers <c>LoadWeights</c> reads the chain from (<c>Layers</c>, or the node's name for a chain of one
    /// layer); empty when neither applies, and LoadWeights then says to set <c>Layers</c>.
    /// </summary>
    public EquatableArray<string> FileLayers { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The node whose states start this one's recurrent layer.</summary>
    public string? InitialState { get; init; }

    /// <summary>
    /// The node whose <c>[Masking]</c> or <c>[Embedding(MaskZero = true)]</c> made the mask this node's output carries in
    /// Keras (this node's own name when it computes it); null when the output carries none.
    /// </summary>
    public string? Mask { get; init; }

    /// <summary>The node whose model instance this one uses (a shared layer); null for the node that owns it.</summary>
    public string? Shares { get; init; }

    public MergeOperation Operation { get; init; }

    /// <summary>The inputs' shapes and dot axes of a <see cref="MergeOperation.Dot"/> merge.</summary>
    public GraphDot? Dot { get; init; }

    public GraphAttention? Attention { get; init; }

    public GraphMultiHeadAttention? MultiHeadAttention { get; init; }

    /// <summary>An attention node: its output is a span of floats the node computes, not a chain's <c>Output</c>.</summary>
    public bool IsAttention => Attention is not null || MultiHeadAttention is not null;

    /// <summary>The arrays an attention node holds, in Keras order (none for a chain or a merge).</summary>
    public EquatableArray<(string Name, int Length)> LayerWeights =>
        Attention?.Weights ?? MultiHeadAttention?.Weights ?? EquatableArray<(string Name, int Length)>.Empty;

    public bool IsMerge => Chain is null && !IsAttention;

    /// <summary>The generated property that holds the chain model (the owner's, for a node that shares it).</summary>
    public string PropertyName => GraphNames.Pascal(Shares ?? Name);

    /// <summary>The local that holds the node's chain <c>Output</c>.</summary>
    public string OutputLocal => GraphNames.Camel(Name) + "Output";

    /// <summary>The local that holds the node's chain <c>Input</c> when the node does not read a graph input directly.</summary>
    public string InputLocal => GraphNames.Camel(Name) + "Input";

    /// <summary>The local that holds the mask the node computes (<see cref="Mask"/> is its own name).</summary>
    public string MaskLocal => GraphNames.Camel(Name) + "Mask";

    /// <summary>The local that holds the node's chain <c>InitialState</c>.</summary>
    public string StateLocal => GraphNames.Camel(Name) + "State";
}
