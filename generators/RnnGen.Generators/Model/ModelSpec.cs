using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>
/// A validated model with every shape resolved: what the emitter turns into source. Equatable, and free of symbols,
/// syntax and locations, so that an edit that does not change the model leaves the emit step cached.
/// </summary>
internal sealed record ModelSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    string DeclarationKeyword,
    bool IsSequential,
    int Timesteps,
    int InputDim,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>File name of the generated source: namespace, containing types and class, dotted.</summary>
    public string HintName
    {
        get
        {
            var name = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                name.Append(Namespace).Append('.');
            }

            foreach (ContainingType type in ContainingTypes)
            {
                name.Append(type.Name).Append('.');
            }

            return name.Append(ClassName).Append(".RnnGen.g.cs").ToString();
        }
    }
}

/// <remarks><see cref="Name"/> is the Keras default layer name (<c>lstm_1</c>, <c>bidirectional</c>); for a bidirectional
/// layer <see cref="InnerName"/> is the wrapped layer's (<c>lstm</c>, whose copies Keras calls <c>forward_lstm</c> and
/// <c>backward_lstm</c>), otherwise it equals <see cref="Name"/>.</remarks>
/// <summary>One layer with its options resolved to canonical Keras names and its input and output shapes inferred.</summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int Index,
    string Name,
    string InnerName,
    int Units,
    int InputWidth,
    bool InputIsSequence,
    int OutputWidth,
    bool OutputIsSequence,
    string Activation,
    string? RecurrentActivation,
    bool UseBias,
    bool UnitForgetBias,
    bool ResetAfter,
    bool ReturnSequences,
    bool ReturnState,
    bool GoBackwards,
    bool Stateful,
    bool Bidirectional,
    MergeMode MergeMode,
    string KernelInitializer,
    string RecurrentInitializer,
    string BiasInitializer,
    double DropoutRate,
    double RecurrentDropoutRate)
{
    public bool IsRecurrent => Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;

    public int Directions => Bidirectional ? 2 : 1;

    public int GateCount => RnnGen.Shared.LayerShapes.GateCount(Kind);

    /// <summary>State vectors per direction: h, and c for LSTM.</summary>
    public int StatesPerDirection => Kind == LayerKind.Lstm ? 2 : 1;

    /// <summary>Keras class name as <c>model.summary()</c> shows it.</summary>
    public string KerasClassName => Bidirectional ? "Bidirectional" : RnnGen.Shared.LayerShapes.KerasClassName(Kind);

    /// <summary>How messages name the layer: "layer 2 (Lstm)" uses the attribute name.</summary>
    public string AttributeName => Kind.ToString();
}
