using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Helpers;

namespace RnnGen.Generators.Model;

/// <summary>The RnnGen attributes the generator reads.</summary>
internal enum AttributeKind
{
    Sequential,
    SimpleRnn,
    Lstm,
    Gru,
    Dense,
    Dropout,
    LayerNormalization,
    BatchNormalization,
    Normalization,
    Activation,
    Rescaling,
    Masking,
    GlobalAveragePooling1D,
    GlobalMaxPooling1D,
    Embedding,
    Conv1D,
    MaxPooling1D,
    AveragePooling1D,
    Flatten,
    Reshape,
    RepeatVector,
}

/// <summary>
/// What <c>Extract</c> reads from a class declaration: plain values only (no symbols, no syntax), so the pipeline can
/// cache it and <c>Parse</c> can be a pure function of it.
/// </summary>
internal sealed record ModelInput(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    string DeclarationKeyword,
    bool IsPartial,
    string? UnsupportedReason,
    string? NonPartialContainingType,
    bool AttributesOnSeveralDeclarations,
    bool HasPrimaryConstructor,
    LocationInfo? ClassLocation,
    EquatableArray<AttributeInput> Attributes,
    EquatableArray<UserMember> Members)
{
    /// <summary>The name used in messages: containing types and class, dotted.</summary>
    public string DisplayName
    {
        get
        {
            string name = ClassName;
            for (int i = ContainingTypes.Count - 1; i >= 0; i--)
            {
                name = ContainingTypes[i].Name + "." + name;
            }

            return name;
        }
    }
}

/// <summary>A type the model class is nested in, outermost first: its keyword (<c>class</c>, <c>record struct</c>, ...) and name.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>One RnnGen attribute in source order, with its arguments as written.</summary>
internal sealed record AttributeInput(AttributeKind Kind, LocationInfo? Location, EquatableArray<ArgumentInput> Arguments)
{
    public ArgumentInput? Find(string name)
    {
        foreach (ArgumentInput argument in Arguments)
        {
            if (argument.Name == name)
            {
                return argument;
            }
        }

        return null;
    }
}

/// <summary>
/// One argument: the constructor parameter or property name, its constant value (boxed int, bool, string, double;
/// enums as their int value; null for a null literal) or <see cref="HasError"/> when the compiler could not bind it.
/// </summary>
internal sealed record ArgumentInput(string Name, object? Value, bool HasError, LocationInfo? Location);
