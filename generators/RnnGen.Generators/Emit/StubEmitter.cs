using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Helpers;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Emit;

/// <summary>
/// The stand-in part of a model class whose declaration has errors: the public members a generated model has, with
/// bodies that throw, so the code that uses the class still binds and the error list holds the RNNG errors alone,
/// not a CS1061 or CS0426 for every <c>model.Forward(...)</c> or <c>Model.Input</c> the generator did not emit (as
/// dotnet/runtime's System.Text.Json generator keeps a context's members when its options are in error). The build
/// fails on the RNNG errors anyway, so no stub body ever runs.
/// </summary>
/// <remarks>
/// The sizes are unknown while the declaration is wrong; the constants are 1 (not 0, so that a constant expression the
/// user divides by one of them still compiles). A member the user's part declares, or one named as the class, is left
/// out: the stub must not add an error of its own.
/// </remarks>
internal static class StubEmitter
{
    private const string Throw = "throw new global::System.InvalidOperationException(DeclarationHasErrors);";

    // The state fields a generated Output or InitialState can have (one recurrent layer; Bidirectional: both directions).
    private const string States =
        "    public State StateH;\n    public State StateC;\n"
        + "    public State ForwardStateH;\n    public State ForwardStateC;\n    public State BackwardStateH;\n    public State BackwardStateC;\n";

    /// <summary>Every stand-in member: the name it declares, and its text (one or more lines).</summary>
    private static readonly (string Name, string Text)[] s_members =
    {
        ("Timesteps", "public const int Timesteps = 1;"),
        ("InputDim", "public const int InputDim = 1;"),
        ("Units", "public const int Units = 1;"),
        ("OutputDim", "public const int OutputDim = 1;"),
        ("OutputLength", "public const int OutputLength = 1;"),
        ("ParameterCount", "public const int ParameterCount = 0;"),
        ("StreamStateLength", "public const int StreamStateLength = 1;"),
        ("DefaultSeed", "public const int DefaultSeed = 0;"),
        ("Summary", "public const string Summary = \"\";"),
        ("Info", "public static global::RnnGen.ModelInfo Info => " + Throw),
        ("InputStep", Tensor("InputStep")),
        ("Input", Tensor("Input")),
        ("OutputStep", Tensor("OutputStep")),
        ("OutputSequence", Tensor("OutputSequence")),
        ("State", Tensor("State")),
        ("Output", "public struct Output\n{\n    public OutputStep Result;\n" + States + "}"),
        ("InitialState", "public struct InitialState\n{\n" + States + "}"),
        ("GetWeights", "public float[][] GetWeights() => " + Throw),
        ("SetWeights", "public void SetWeights(global::System.Collections.Generic.IReadOnlyList<float[]> weights) => " + Throw),
        ("LoadWeights", "public void LoadWeights(string path) => " + Throw),
        ("LoadWeights", "public void LoadWeights(global::System.IO.Stream stream, global::RnnGen.WeightFormat format) => " + Throw),
        ("SaveWeights", "public void SaveWeights(string path) => " + Throw),
        ("Forward", "public void Forward(in Input input, out Output output) => " + Throw),
        ("Forward", "public void Forward<TInput>(in TInput input, out Output output) => " + Throw),
        ("Forward", "public void Forward(in Input input, in InitialState initialState, out Output output) => " + Throw),
        ("Forward", "public void Forward(global::System.ReadOnlySpan<Input> inputs, global::System.Span<Output> outputs) => " + Throw),
        ("Forward", "public void Forward(global::System.ReadOnlyMemory<Input> inputs, global::System.Memory<Output> outputs, int maxDegreeOfParallelism) => " + Throw),
        ("Predict", "public float[][] Predict(global::System.ReadOnlySpan<float> input) => " + Throw),
        ("Predict", "public float[][] Predict(global::System.ReadOnlySpan<float> input, global::System.Collections.Generic.IReadOnlyList<float[]> initialState) => " + Throw),
        ("Predict", "public int Predict(global::System.ReadOnlySpan<float> input, global::System.Span<float> output) => " + Throw),
        ("Step", "public void Step(in InputStep input, out OutputStep output) => " + Throw),
        ("Step", "public void Step<TInput>(in TInput input, out OutputStep output) => " + Throw),
        ("Step", "public void Step(global::System.ReadOnlySpan<float> input, global::System.Span<float> output) => " + Throw),
        ("StreamCount", "public int StreamCount => " + Throw),
        ("ResetStreams", "public void ResetStreams(int streams) => " + Throw),
        ("StepStreams", "public void StepStreams(global::System.ReadOnlySpan<InputStep> inputs, global::System.Span<OutputStep> outputs) => " + Throw),
        ("StepStreams", "public void StepStreams(global::System.ReadOnlySpan<InputStep> inputs, global::System.Span<OutputStep> outputs, global::System.Span<float> states) => " + Throw),
        ("StepStreams", "public void StepStreams(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs) => " + Throw),
        ("StepStreams", "public void StepStreams(global::System.ReadOnlySpan<float> inputs, global::System.Span<float> outputs, global::System.Span<float> states) => " + Throw),
        ("StepStreams", "public void StepStreams(global::System.ReadOnlyMemory<float> inputs, global::System.Memory<float> outputs, global::System.Memory<float> states, int maxDegreeOfParallelism) => " + Throw),
        ("ResetStates", "public void ResetStates() => " + Throw),
        ("Compile", "public void Compile(global::RnnGen.Training.Optimizer optimizer, global::RnnGen.Training.Loss loss, params global::RnnGen.Training.Metric[] metrics) => " + Throw),
        ("Trainer", "public global::RnnGen.Training.Trainer Trainer => " + Throw),
        ("Fit", "public global::RnnGen.Training.History Fit(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y, int epochs = 1, int batchSize = 32, bool shuffle = true, double validationSplit = 0.0,\n"
            + "    global::RnnGen.Training.ValidationData? validationData = null, global::System.Collections.Generic.IReadOnlyList<global::RnnGen.Training.Callback>? callbacks = null, int initialEpoch = 0,\n"
            + "    int? seed = null, int verbose = 0, global::System.IProgress<global::RnnGen.Training.EpochLog>? progress = null) => " + Throw),
        ("Evaluate", "public float Evaluate(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y, int batchSize = 32) => " + Throw),
        ("TrainOnBatch", "public float TrainOnBatch(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y) => " + Throw),
        ("ComputeGradients", "public float[][] ComputeGradients(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y) => " + Throw),
    };

    /// <summary>The names <see cref="Write"/> can declare, for tests that hold the list to the real emitter's.</summary>
    internal static IEnumerable<string> MemberNames => s_members.Select(m => m.Name).Distinct();

    private static string Tensor(string name) =>
        $"public struct {name}\n{{\n    public global::System.Span<float> AsSpan() => {Throw}\n    public global::System.Span<float> this[int index] => {Throw}\n}}";

    public static string Write(StubSpec spec)
    {
        var writer = new SourceWriter();
        writer.Line("// <auto-generated/>");
        writer.Line($"// Stand-in members of {spec.DisplayName}: its declaration has errors (see the RNNG diagnostics), so RnnGen");
        writer.Line("// generated no model. These let the code that uses the class compile, so that the errors listed are the RNNG ones.");
        writer.Line("#nullable enable");
        writer.Line("#pragma warning disable CS0649 // the stand-in fields are never written: nothing runs until the declaration is fixed");
        writer.Line();

        int opened = 0;
        if (spec.Namespace is not null)
        {
            writer.Line("namespace " + string.Join(".", spec.Namespace.Split('.').Select(Identifier)));
            writer.OpenBrace();
            opened++;
        }

        foreach (ContainingType type in spec.ContainingTypes)
        {
            writer.Line($"partial {type.Keyword} {Identifier(type.Name)}");
            writer.OpenBrace();
            opened++;
        }

        writer.Line($"partial class {Identifier(spec.ClassName)}");
        writer.OpenBrace();
        writer.Line($"private const string DeclarationHasErrors = {Literal("The RnnGen declaration of " + spec.DisplayName + " has errors; fix the RNNG diagnostics.")};");
        if (spec.DeclareConstructors)
        {
            writer.Line();
            writer.Line($"public {Identifier(spec.ClassName)}() => {Throw}");
            writer.Line();
            writer.Line($"public {Identifier(spec.ClassName)}(int seed) => {Throw}");
        }

        foreach (var (name, text) in s_members)
        {
            if (name == spec.ClassName || spec.UserMemberNames.Contains(name))
            {
                continue;
            }

            writer.Line();
            writer.Lines(text);
        }

        writer.CloseBrace();
        for (int i = 0; i < opened; i++)
        {
            writer.CloseBrace();
        }

        return writer.ToString();
    }

    private static string Identifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    private static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
