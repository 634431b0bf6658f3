using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using RnnGen.Numerics.Tests.Infrastructure;

namespace RnnGen.Numerics.Tests.Properties;

/// <summary>
/// Random valid model declarations: shapes (units 1..12, input 1..8, timesteps 1..10) and options (layer kind,
/// bidirectional with each merge mode, go_backwards, return_sequences and return_state, use_bias, reset_after,
/// activations, stateful), single layers and stacks of two or three layers with Dense and Dropout. Only stacks Keras
/// accepts are drawn: a recurrent layer follows a layer that returns a sequence, and only the last layer returns states
/// or unmerged bidirectional outputs.
/// </summary>
internal static class ModelConfigurations
{
    /// <summary>How many configurations the property tests compile: one in-memory compilation holds them all.</summary>
    public const int Count = 60;

    // Fixed, so every run compiles the same models: a failure names a configuration that can be rerun.
    private const ulong Seed = 20240611;

    // Element-wise activations; softmax is added for Dense layers only. "exponential" is left out of the random draw:
    // with these shapes and weights in [-0.5, 0.5) an exp that feeds on its own output can overflow float32, where the
    // comparison says nothing (no golden vector has it either: TensorFlow.js and ONNX RNN ops have no exponential). It
    // has its own declared configurations, with smaller weights, in ExponentialModels.
    private static readonly string[] s_activations =
    {
        "tanh", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2", "relu", "relu6", "leaky_relu", "linear", "elu", "selu",
        "celu", "softplus", "softsign", "silu", "hard_silu", "mish", "log_sigmoid", "hard_tanh",
    };

    // Gate activations (recurrent_activation) bounded by 1. A gate scales the state at every step (GRU h = z*h + ...,
    // LSTM c = f*c + ...), so with an unbounded gate (selu, relu, linear ...) the state grows like |z|^t: then float32
    // rounding, ours and the reference's alike, is amplified by the same factor and two correct evaluations differ by
    // more than any fixed multiple of the reference's own float32 noise (measured: GRU(5) with selu gates over 10 steps
    // disagrees with float64 by 9e-5 relative, its float32 evaluation by 3e-5; with sigmoid gates both stay at 1e-7), or
    // overflow to infinity. Keras's gates are sigmoids; the unbounded names are still drawn as layer activations.
    private static readonly string[] s_gateActivations = { "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2", "tanh", "softsign", "hard_tanh" };

    private static readonly string[] s_mergeModes = { "Concat", "Sum", "Mul", "Ave", "None" };

    public static readonly IReadOnlyList<(string Name, CaseModel Model)> All = Draw();

    /// <summary>
    /// Declared models with the <c>"exponential"</c> activation, as layer activation (SimpleRNN, LSTM cell input and
    /// output, GRU candidate, both Dense kernels) and as recurrent activation (LSTM and GRU gates), forward, backward,
    /// bidirectional, stateful and under or over another layer. Small on purpose (at most 4 inputs and 4 units per
    /// layer) so that, with the weight ranges of <see cref="GeneratedModelProperties"/>, exp stays far from overflow.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, CaseModel Model)> ExponentialModels = new[]
    {
        new CaseModel(6, 4, new[] { new CaseLayer("SimpleRnn", 3, "exponential", ReturnSequences: true) }),
        new CaseModel(5, 3, new[] { new CaseLayer("SimpleRnn", 4, "exponential", UseBias: false, Bidirectional: true) }),
        new CaseModel(4, 2, new[] { new CaseLayer("Lstm", 3, "exponential", "sigmoid", ReturnState: true) }),
        new CaseModel(6, 4, new[] { new CaseLayer("Lstm", 4, "tanh", "exponential", ReturnSequences: true, Stateful: true) }),
        new CaseModel(3, 2, new[] { new CaseLayer("Lstm", 2, "exponential", "exponential", ReturnState: true, Bidirectional: true, MergeMode: "None") }),
        new CaseModel(6, 3, new[] { new CaseLayer("Gru", 3, "exponential", "sigmoid", ResetAfter: true, ReturnSequences: true, Stateful: true) }),
        new CaseModel(5, 4, new[] { new CaseLayer("Gru", 4, "exponential", "sigmoid", ResetAfter: false, GoBackwards: true) }),
        new CaseModel(6, 2, new[] { new CaseLayer("Gru", 2, "tanh", "exponential", ResetAfter: true, ReturnState: true) }),
        new CaseModel(4, 3, new[]
        {
            new CaseLayer("Gru", 4, "tanh", "sigmoid", ReturnSequences: true),
            new CaseLayer("Dense", 6, "exponential"), // over 4 units: the vectorized Dense kernel
        }),
        new CaseModel(4, 2, new[]
        {
            new CaseLayer("Lstm", 3, "tanh", "sigmoid", ReturnSequences: true),
            new CaseLayer("SimpleRnn", 2, "exponential", GoBackwards: true),
            new CaseLayer("Dense", 2, "exponential", UseBias: false), // up to 4 units: a dot product and scalar exp per unit
        }),
    }.Select((model, i) => ($"e{i:00}_{Describe(model)}", model)).ToList();

    private static List<(string Name, CaseModel Model)> Draw()
    {
        Gen<CaseModel> models =
            from timesteps in Gen.Choose(1, 10)
            from inputDim in Gen.Choose(1, 8)
            from layerCount in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3)))
            from layers in Stack(layerCount)
            select new CaseModel(timesteps, inputDim, layers);

        return Gen.Sample(models, Count, new Rnd(Seed), 10)
            .Select((model, i) => ($"p{i:00}_{Describe(model)}", model))
            .ToList();
    }

    // The layers of a stack, first to last, each drawn knowing whether its input is a sequence and whether it is last.
    private static Gen<IReadOnlyList<CaseLayer>> Stack(int count)
    {
        Gen<IReadOnlyList<CaseLayer>> stack = Gen.Constant<IReadOnlyList<CaseLayer>>(new List<CaseLayer>());
        for (int i = 0; i < count; i++)
        {
            bool first = i == 0, last = i == count - 1;
            stack = stack.SelectMany(layers =>
            {
                bool sequence = IsSequence(layers);
                Gen<CaseLayer> next = first
                    ? count == 1
                        ? Recurrent(last) // a single-layer model is one recurrent layer
                        : Gen.Frequency((4, Recurrent(last)), (1, Dense())) // Dense on the input sequence is valid Keras
                    : sequence
                        ? Gen.Frequency((4, Recurrent(last)), (2, Dense()), (last ? 0 : 1, Dropout()))
                        : Gen.Frequency((3, Dense()), (last ? 0 : 1, Dropout())); // after the last output: Dense only
                return next.Select(layer => (IReadOnlyList<CaseLayer>)layers.Append(layer).ToList());
            });
        }

        return stack;
    }

    // Dropout and Dense keep what they receive, so whether the data is still a sequence depends on the last recurrent layer.
    private static bool IsSequence(IReadOnlyList<CaseLayer> layers)
    {
        CaseLayer? recurrent = layers.LastOrDefault(l => l.Kind is "SimpleRnn" or "Lstm" or "Gru");
        return recurrent is null || recurrent.ReturnSequences;
    }

    private static Gen<CaseLayer> Recurrent(bool last) =>
        from kind in Gen.Elements("SimpleRnn", "Lstm", "Gru")
        from units in Gen.Choose(1, 12)
        from activation in Gen.Frequency((3, Gen.Constant("tanh")), (2, Gen.Elements(s_activations)))
        from recurrentActivation in Gen.Frequency((3, Gen.Constant("sigmoid")), (2, Gen.Elements(s_gateActivations)))
        from useBias in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from resetAfter in Gen.Elements(true, false)
        from returnSequences in Gen.Elements(true, false)
        from returnState in last ? Gen.Elements(true, false) : Gen.Constant(false)
        from bidirectional in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from mergeMode in Gen.Elements(last ? s_mergeModes : s_mergeModes[..4])
        from goBackwards in bidirectional ? Gen.Constant(false) : Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from stateful in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new CaseLayer(kind, units, activation, kind == "SimpleRnn" ? null : recurrentActivation, useBias,
            ResetAfter: kind == "Gru" && resetAfter, returnSequences, returnState, goBackwards, stateful, bidirectional,
            bidirectional ? mergeMode : "Concat");

    private static Gen<CaseLayer> Dense() =>
        from units in Gen.Choose(1, 12)
        from activation in Gen.Frequency((3, Gen.Elements(s_activations)), (1, Gen.Constant("softmax")))
        from useBias in Gen.Elements(true, false)
        select new CaseLayer("Dense", units, activation, UseBias: useBias);

    private static Gen<CaseLayer> Dropout() =>
        Gen.Choose(0, 9).Select(tenths => new CaseLayer("Dropout", 0, Rate: tenths / 10.0));

    /// <summary>A short readable name: shape, then each layer's kind, units and non-default options.</summary>
    public static string Describe(CaseModel model) =>
        $"t{model.Timesteps}x{model.InputDim}_" + string.Join("_", model.Layers.Select(layer => layer.Kind switch
        {
            "Dropout" => "Dropout",
            "Dense" => $"Dense{layer.Units}{(layer.Activation is null ? "" : "-" + layer.Activation)}{(layer.UseBias ? "" : "-nobias")}",
            _ => layer.Kind + layer.Units
                + (layer.Bidirectional ? "-bi" + layer.MergeMode : "")
                + (layer.GoBackwards ? "-back" : "")
                + (layer.ReturnSequences ? "-seq" : "")
                + (layer.ReturnState ? "-state" : "")
                + (layer.Stateful ? "-stateful" : "")
                + (layer.UseBias ? "" : "-nobias")
                + (layer.ResetAfter ? "-resetafter" : "")
                + (layer.Activation is "tanh" or null ? "" : "-" + layer.Activation)
                + (layer.RecurrentActivation is "sigmoid" or null ? "" : "-r" + layer.RecurrentActivation),
        }));
}
