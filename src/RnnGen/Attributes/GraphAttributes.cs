using System;

namespace RnnGen;

/// <summary>
/// Declares a Keras functional model (<c>keras.Model(inputs, outputs)</c>) whose layers form a graph rather than one
/// chain: several inputs, several outputs, branches that merge, a recurrent layer's states as another one's
/// <c>initial_state</c>, a layer applied to two inputs with the same weights. The class's
/// <see cref="GraphInputAttribute"/>, <see cref="GraphNodeAttribute"/> and <see cref="MergeAttribute"/> attributes name
/// its tensors; each chain of layers between two joins is a <see cref="SequentialAttribute"/> model of its own, so every
/// layer keeps its fixed-size generated kernels, and the generator writes the glue with the shapes checked at compile
/// time (a missing input, a cycle, a shape that does not join, states that do not fit are RNNG07x errors on the
/// attribute that causes them).
/// </summary>
/// <example>
/// An encoder's states as a decoder's initial state (Keras: <c>decoder_lstm(decoder_inputs, initial_state=[h, c])</c>):
/// <code>
/// [Sequential(Timesteps = 6, InputDim = 3)]
/// [Lstm(5, ReturnState = true)]
/// public partial class Encoder;
///
/// [Sequential(Timesteps = 4, InputDim = 2)]
/// [Lstm(5, ReturnSequences = true)]
/// [Dense(3)]
/// public partial class Decoder;
///
/// [Graph("decoder")]
/// [GraphInput("encoder_inputs", Timesteps = 6, InputDim = 3)]
/// [GraphInput("decoder_inputs", Timesteps = 4, InputDim = 2)]
/// [GraphNode("encoder", typeof(Encoder), "encoder_inputs")]
/// [GraphNode("decoder", typeof(Decoder), "decoder_inputs", InitialState = "encoder")]
/// public partial class Translator;
///
/// // translator.Forward(in encoderInputs, in decoderInputs, out Translator.Outputs outputs); outputs.Decoder.Result
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GraphAttribute : Attribute
{
    /// <summary>Declares a graph whose outputs are the named nodes, in Keras <c>outputs</c> order.</summary>
    /// <param name="outputs">Names of <see cref="GraphNodeAttribute"/> nodes; each becomes a field of the generated <c>Outputs</c> type.</param>
    public GraphAttribute(params string[] outputs) => Outputs = outputs;

    /// <summary>Names of the nodes whose outputs the model returns, in order.</summary>
    public string[] Outputs { get; }
}

/// <summary>
/// Declares an input of a <see cref="GraphAttribute"/> model: Keras <c>keras.Input(shape=(Timesteps, InputDim), name=...)</c>.
/// Each input is a parameter of the generated <c>Forward</c>, typed as the input of the first node that reads it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GraphInputAttribute : Attribute
{
    /// <summary>Declares the input <paramref name="name"/>.</summary>
    /// <param name="name">The Keras input name (<c>encoder_inputs</c>): what nodes read.</param>
    public GraphInputAttribute(string name) => Name = name;

    /// <summary>The input's name.</summary>
    public string Name { get; }

    /// <summary>Timesteps of the input sequence: Keras <c>shape[0]</c>.</summary>
    public int Timesteps { get; set; }

    /// <summary>Features per timestep: Keras <c>shape[1]</c>.</summary>
    public int InputDim { get; set; }
}

/// <summary>
/// Declares a node of a <see cref="GraphAttribute"/> model: a <see cref="SequentialAttribute"/> model (a chain of
/// layers) applied to one tensor, Keras <c>y = layer(x)</c> for each layer of the chain. Its output is the chain's
/// <c>Output</c> (its <c>Result</c>, and its states when its last layer returns them).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GraphNodeAttribute : Attribute
{
    /// <summary>Declares the node <paramref name="name"/>, a <paramref name="model"/> applied to <paramref name="input"/>.</summary>
    /// <param name="name">The node's name: what later nodes and <see cref="GraphAttribute.Outputs"/> read; its PascalCase form names the generated property that holds the model.</param>
    /// <param name="model">A class declared with <see cref="SequentialAttribute"/> whose input shape is the tensor's.</param>
    /// <param name="input">The tensor the node reads: a <see cref="GraphInputAttribute"/>, another node (its <c>Result</c>) or a <see cref="MergeAttribute"/>.</param>
    public GraphNodeAttribute(string name, Type model, string input)
    {
        Name = name;
        Model = model;
        Input = input;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The chain model the node runs.</summary>
    public Type Model { get; }

    /// <summary>The tensor the node reads.</summary>
    public string Input { get; }

    /// <summary>
    /// Keras <c>initial_state</c>: the name of a node whose last layer has <c>ReturnState = true</c>; its states start this
    /// node's recurrent layer (the chain must have exactly one, with the same kind and units).
    /// </summary>
    public string? InitialState { get; set; }

    /// <summary>
    /// The names of the Keras file's layers this chain declares, one per declared layer in the chain's order, for the
    /// graph's <c>LoadWeights</c> (<c>Layers = new[] { "decoder", "head" }</c>). Left out: the node's own name, which is
    /// right for a chain of one layer.
    /// </summary>
    public string[]? Layers { get; set; }

    /// <summary>
    /// A shared layer: the name of an earlier node of the same model type whose instance (and so weights) this node uses,
    /// as Keras does when one layer is called on two tensors.
    /// </summary>
    public string? Shares { get; set; }
}

/// <summary>
/// Declares a merge node of a <see cref="GraphAttribute"/> model: Keras <c>Concatenate</c>, <c>Add</c>,
/// <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>, <c>Maximum</c>, <c>Minimum</c> or <c>Dot</c> applied to the named
/// tensors. Concatenate needs the same timesteps (or all vectors); Dot two tensors whose dot axes have one size; the
/// others need identical shapes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MergeAttribute : Attribute
{
    /// <summary>Declares the merge node <paramref name="name"/>.</summary>
    /// <param name="name">The node's name (the Keras layer name, <c>concatenate</c>).</param>
    /// <param name="operation">The merge layer.</param>
    /// <param name="inputs">The tensors it reads, at least two (exactly two for Subtract), in order.</param>
    public MergeAttribute(string name, MergeOperation operation, params string[] inputs)
    {
        Name = name;
        Operation = operation;
        Inputs = inputs;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The merge layer.</summary>
    public MergeOperation Operation { get; }

    /// <summary>The tensors it reads.</summary>
    public string[] Inputs { get; }

    /// <summary>
    /// Keras <c>Dot</c>'s <c>axes</c>: one axis for both inputs, or one each, counted as Keras counts them with the
    /// batch axis as 0 (a vector's features are 1; a sequence's time axis is 1 and its features 2; -1 is the last).
    /// Default: the last axis of both, as <c>keras.layers.dot</c>. Dot only.
    /// </summary>
    public int[]? Axes { get; set; }

    /// <summary>Keras <c>Dot</c>'s <c>normalize</c>: L2-normalize each input along its dot axis first, so the result is the cosine similarity. Dot only.</summary>
    public bool Normalize { get; set; }
}

/// <summary>
/// Declares a Keras <c>Attention</c> layer in a <see cref="GraphAttribute"/> model (dot-product or Luong-style
/// attention, <c>keras/src/layers/attention/attention.py</c>): <c>Attention()([query, value])</c>, or
/// <c>[query, value, key]</c>. Scores are <c>query · keyᵀ</c> (<c>ScoreMode = "dot"</c>) or
/// <c>concat_score_weight · Σ tanh(query + key)</c> (<c>"concat"</c>), scaled by a learned scalar with
/// <c>UseScale</c>; their softmax over the value's timesteps weighs the value's rows. The output has the query's
/// timesteps and the value's features. Its weights (<c>scale</c>, <c>concat_score_weight</c>, when present) are the
/// graph's, after the chains'. Inference only: no masks, dropout or causal mask.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AttentionAttribute : Attribute
{
    /// <summary>Declares the attention node <paramref name="name"/> of <paramref name="query"/> over <paramref name="value"/>.</summary>
    /// <param name="name">The node's name (the Keras layer name, <c>attention</c>).</param>
    /// <param name="query">The query tensor: a sequence <c>(Tq, dim)</c>.</param>
    /// <param name="value">The value tensor: a sequence <c>(Tv, dv)</c>; also the key unless <see cref="Key"/> is set.</param>
    public AttentionAttribute(string name, string query, string value)
    {
        Name = name;
        Query = query;
        Value = value;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The query tensor.</summary>
    public string Query { get; }

    /// <summary>The value tensor.</summary>
    public string Value { get; }

    /// <summary>The key tensor, <c>(Tv, dim)</c>; the value when not set (Keras's two-input call).</summary>
    public string? Key { get; set; }

    /// <summary>Keras <c>use_scale</c>: a learned scalar multiplies the scores (default <see langword="false"/>).</summary>
    public bool UseScale { get; set; }

    /// <summary>Keras <c>score_mode</c>: <c>"dot"</c> (default) or <c>"concat"</c>.</summary>
    public string ScoreMode { get; set; } = "dot";
}

/// <summary>
/// Declares a Keras <c>AdditiveAttention</c> layer (Bahdanau-style attention,
/// <c>keras/src/layers/attention/additive_attention.py</c>) in a <see cref="GraphAttribute"/> model: scores are
/// <c>Σ scale · tanh(query + key)</c> over the features, with a learned <c>scale</c> vector when <c>UseScale</c> (the
/// default); their softmax over the value's timesteps weighs the value's rows.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdditiveAttentionAttribute : Attribute
{
    /// <summary>Declares the additive attention node <paramref name="name"/> of <paramref name="query"/> over <paramref name="value"/>.</summary>
    /// <param name="name">The node's name (the Keras layer name, <c>additive_attention</c>).</param>
    /// <param name="query">The query tensor: a sequence <c>(Tq, dim)</c>.</param>
    /// <param name="value">The value tensor: a sequence <c>(Tv, dv)</c>; also the key unless <see cref="Key"/> is set.</param>
    public AdditiveAttentionAttribute(string name, string query, string value)
    {
        Name = name;
        Query = query;
        Value = value;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The query tensor.</summary>
    public string Query { get; }

    /// <summary>The value tensor.</summary>
    public string Value { get; }

    /// <summary>The key tensor, <c>(Tv, dim)</c>; the value when not set.</summary>
    public string? Key { get; set; }

    /// <summary>Keras <c>use_scale</c>: a learned vector of <c>dim</c> scales the tanh terms (default <see langword="true"/>).</summary>
    public bool UseScale { get; set; } = true;
}

/// <summary>
/// Declares a Keras <c>MultiHeadAttention</c> layer in a <see cref="GraphAttribute"/> model
/// (<c>keras/src/layers/attention/multi_head_attention.py</c>): <c>MultiHeadAttention(num_heads, key_dim)(query, value)</c>,
/// or <c>(query, value, key)</c>. The query, key and value are each projected to <see cref="NumHeads"/> heads
/// (<c>query</c>, <c>key</c> and <c>value</c> dense layers), each head takes the softmax over the value's timesteps of
/// its scaled dot-product scores (<c>q · k / sqrt(key_dim)</c>) to weigh its values, and the heads are projected back
/// (<c>attention_output</c>). The output has the query's timesteps and <see cref="OutputShape"/> features (the query's
/// by default). Its eight weight arrays (four without <see cref="UseBias"/>) are the graph's, after the chains'.
/// Inference: no attention mask or dropout; <see cref="UseCausalMask"/> for Keras's <c>use_causal_mask=True</c>.
/// </summary>
/// <example>
/// Self-attention over an LSTM's sequence (Keras: <c>MultiHeadAttention(num_heads=2, key_dim=4)(h, h)</c>):
/// <code>
/// [GraphNode("encoder", typeof(Encoder), "x")]
/// [MultiHeadAttention("mha", "encoder", "encoder", numHeads: 2, keyDim: 4)]
/// [GraphNode("out", typeof(Head), "mha")]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiHeadAttentionAttribute : Attribute
{
    /// <summary>Declares the attention node <paramref name="name"/> of <paramref name="query"/> over <paramref name="value"/>.</summary>
    /// <param name="name">The node's name (the Keras layer name, <c>multi_head_attention</c>).</param>
    /// <param name="query">The query tensor: a sequence <c>(Tq, dq)</c>.</param>
    /// <param name="value">The value tensor: a sequence <c>(Tv, dv)</c>; also the key unless <see cref="Key"/> is set.</param>
    /// <param name="numHeads">Keras <c>num_heads</c>: the number of attention heads.</param>
    /// <param name="keyDim">Keras <c>key_dim</c>: the size of each head for the query and key.</param>
    public MultiHeadAttentionAttribute(string name, string query, string value, int numHeads, int keyDim)
    {
        Name = name;
        Query = query;
        Value = value;
        NumHeads = numHeads;
        KeyDim = keyDim;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>The query tensor.</summary>
    public string Query { get; }

    /// <summary>The value tensor.</summary>
    public string Value { get; }

    /// <summary>Keras <c>num_heads</c>.</summary>
    public int NumHeads { get; }

    /// <summary>Keras <c>key_dim</c>.</summary>
    public int KeyDim { get; }

    /// <summary>The key tensor, <c>(Tv, dk)</c>; the value when not set (Keras's <c>key=None</c>).</summary>
    public string? Key { get; set; }

    /// <summary>Keras <c>value_dim</c>: the size of each head for the value; 0 (the default) is <see cref="KeyDim"/>, as in Keras.</summary>
    public int ValueDim { get; set; }

    /// <summary>Keras <c>use_bias</c>: the four projections add biases (default <see langword="true"/>).</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>Keras <c>output_shape</c>: the output's features; 0 (the default) is the query's, as in Keras.</summary>
    public int OutputShape { get; set; }

    /// <summary>
    /// Keras's call argument <c>use_causal_mask=True</c>: query timestep <c>i</c> attends only to value timesteps
    /// <c>j ≤ i</c> (a decoder's self-attention). Default <see langword="false"/>.
    /// </summary>
    public bool UseCausalMask { get; set; }
}
