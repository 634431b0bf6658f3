using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Testing;
using Xunit.Abstractions;

namespace RnnGen.Generators.Tests;

/// <summary>
/// A fixed-seed corpus of random and hostile declarations: random attribute arguments (valid, out of range, huge, of the
/// wrong type), odd class names, classes that are not partial, static, generic, records, nested in other types, with
/// primary constructors or a base class, and members named like generated ones. Whatever the declaration, the
/// generator must not throw, must generate nothing the compiler rejects (every problem is an RNNG diagnostic or a
/// compiler error in the user's own code), must never drop a model silently, and must generate a bounded amount.
/// </summary>
/// <remarks>
/// The declarations are compiled in batches (one compilation per batch, one namespace per declaration), which is what
/// keeps the corpus fast. A failure names the seed and case; <see cref="Case"/> rebuilds any one of them.
/// </remarks>
public class GeneratorFuzzTests
{
    private const int Seed = 20261204;
    private const int Cases = 160;
    private const int BatchSize = 40;

    private readonly ITestOutputHelper _output;

    public GeneratorFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_and_hostile_declarations_never_break_the_generator_or_the_generated_code()
    {
        TimeSpan cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        int generatedCharacters = 0;
        for (int first = 0; first < Cases; first += BatchSize)
        {
            var cases = Enumerable.Range(first, Math.Min(BatchSize, Cases - first)).Select(Case).ToList();
            GeneratorRun run = CompilationHarness.Run(cases.Select(c => c.Source).ToArray());

            foreach (GeneratorRunResult result in run.Result.Results.Where(r => r.Exception is not null))
            {
                failures.Add($"cases {first} to {first + cases.Count - 1}: the generator threw {result.Exception}");
            }

            // The user's trees are the first ones; every tree after them is generated.
            foreach (SyntaxTree generated in run.Output.SyntaxTrees.Skip(cases.Count))
            {
                generatedCharacters += generated.Length;
                if (generated.Length > GeneratorLimitsTests.MaxGeneratedCharacters)
                {
                    failures.Add($"{generated.FilePath}: {generated.Length} characters generated");
                }

                foreach (Diagnostic error in run.Output.GetSemanticModel(generated).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3))
                {
                    failures.Add($"{error.Id} inside {System.IO.Path.GetFileName(generated.FilePath)}: {error.GetMessage(CultureInfo.InvariantCulture)}\n{Owner(cases, generated)}");
                }
            }

            foreach (FuzzCase fuzzCase in cases)
            {
                SyntaxTree input = run.Input.SyntaxTrees[fuzzCase.Index - first];
                bool generatedOne = run.Sources.Any(s => s.HintName.StartsWith(fuzzCase.Namespace + ".", StringComparison.Ordinal));
                bool rnngError = run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == input.FilePath);
                bool compilerError = run.Input.GetSemanticModel(input).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
                string outcome = generatedOne ? "generated" : rnngError ? "RNNG error" : compilerError ? "compiler error in the declaration" : "nothing";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

                // A class that carries an RnnGen attribute either gets its model or learns why not.
                if (outcome == "nothing" && fuzzCase.HasLayerAttributes)
                {
                    failures.Add($"case {fuzzCase.Index}: nothing generated and no error\n{fuzzCase.Source}");
                }
            }
        }

        _output.WriteLine($"{Cases} cases (seed {Seed}): " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))
            + $"; {generatedCharacters} characters generated and compiled; "
            + $"{(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F1} s of CPU time");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(10)));

        // The corpus must exercise both sides: models that generate and compile, and declarations that are rejected.
        Assert.True(outcomes.GetValueOrDefault("generated") >= Cases / 10, "too few cases generated a model");
        Assert.True(outcomes.GetValueOrDefault("RNNG error") >= Cases / 10, "too few cases were rejected with an RNNG error");
    }

    [Theory]
    [InlineData("namespace Demo { [Lstm(3, Timesteps = 4, InputDim = 5)] public partial class Model; [Lstm(2, Timesteps = 4, InputDim = 5)] public partial class model; }", true)]
    [InlineData("namespace Demo { public partial class A { [Lstm(3, Timesteps = 4, InputDim = 5)] public partial class B_C; } public partial class A_B { [Lstm(2, Timesteps = 4, InputDim = 5)] public partial class C; } }", true)]
    // Not valid C# (CS0101: the namespace Demo.Outer and the class Demo.Outer), but the generator must not fail on it.
    [InlineData("namespace Demo { public partial class Outer { [Lstm(3, Timesteps = 4, InputDim = 5)] public partial class Model; } }\nnamespace Demo.Outer { [Lstm(2, Timesteps = 4, InputDim = 5)] public partial class Model; }", false)]
    public void Models_whose_file_names_would_collide_each_get_their_own_file(string source, bool isValid)
    {
        // Roslyn requires hint names unique regardless of case; C# names are case-sensitive.
        GeneratorRun run = CompilationHarness.Run("using RnnGen;\n" + source);
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
        Assert.Equal(2, run.Sources.Count);
        if (isValid)
        {
            Assert.Empty(run.CompilationDiagnostics);
        }
    }

    [Fact]
    public void Changing_one_model_re_emits_that_model_alone_despite_the_hint_name_check_over_all_models()
    {
        static string Source(int units) =>
            $"using RnnGen;\nnamespace Demo;\n[Lstm({units}, Timesteps = 4, InputDim = 5)] public partial class A;\n[Gru(3, Timesteps = 4, InputDim = 5)] public partial class B;";
        GeneratorRun first = CompilationHarness.Run(Source(3));
        GeneratorDriver driver = first.Driver.RunGenerators(GeneratorRunInspection.ReplaceSource(first.Input, 0, Source(4)));

        // The source outputs' steps, by model (the diagnostic outputs, also source outputs, carry no ModelSpec).
        var reasons = driver.GetRunResult().Results.Single().TrackedOutputSteps["SourceOutput"]
            .SelectMany(step => step.Inputs)
            .SelectMany(input => input.Source.Outputs)
            .Where(output => output.Value is ValueTuple<RnnGen.Generators.Model.ModelSpec, RnnGen.Generators.Helpers.EquatableArray<string>>)
            .Select(output => (((ValueTuple<RnnGen.Generators.Model.ModelSpec, RnnGen.Generators.Helpers.EquatableArray<string>>)output.Value).Item1.ClassName, output.Reason))
            .Distinct()
            .ToList();
        Assert.Contains(("A", IncrementalStepRunReason.Modified), reasons);
        Assert.DoesNotContain(reasons, r => r.ClassName == "B" && r.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
        Assert.Contains(reasons, r => r.ClassName == "B");
    }

    private static string Owner(IEnumerable<FuzzCase> cases, SyntaxTree generated) =>
        cases.FirstOrDefault(c => System.IO.Path.GetFileName(generated.FilePath).Contains(c.Namespace + ".", StringComparison.Ordinal))?.Source ?? "(case not found)";

    /// <summary>One declaration of the corpus, in its own namespace.</summary>
    internal sealed record FuzzCase(int Index, string Namespace, string Source, bool HasLayerAttributes);

    /// <summary>Case <paramref name="index"/> of the corpus: the same for the same index on every run and platform.</summary>
    internal static FuzzCase Case(int index)
    {
        var random = new Random(Seed + index);
        string ns = "Fuzz" + index.ToString(CultureInfo.InvariantCulture);
        var source = new StringBuilder("using RnnGen;\nusing System;\nnamespace ").Append(ns).Append(";\n\n");

        // Half of the cases are tame (valid arguments, a plain class) so that many models generate and compile; in the
        // others each choice is hostile one time in three.
        bool tame = random.Next(2) == 0;
        string name = Choose(random, tame, new[] { "Model", "Model", "@class", "Ünïcode", "_", "@var", "model", "Value" },
            new[] { "M" + new string('x', 300), "Input", "Units", "LstmLayer", "Info", "Lstm", "Dense", "Output" });
        string[] attributes = Attributes(random, tame);
        string members = Members(random, name.TrimStart('@'), tame);
        string keyword = Choose(random, tame, new[] { "public partial class", "partial class", "internal sealed partial class", "public abstract partial class", "public unsafe partial class" },
            new[] { "public class", "public static partial class", "public partial record", "file partial class", "public partial struct", "public partial interface" });
        string typeParameters = !tame && random.Next(6) == 0 ? "<T>" : string.Empty;
        string primary = !tame && random.Next(8) == 0 ? "(int size)" : string.Empty;
        string baseType = random.Next(8) == 0 ? Choose(random, tame, new[] { " : Base", " : IDisposable", " : System.Collections.Generic.List<int>" }, new[] { " : BaseWithoutDefault" }) : string.Empty;

        string declaration = string.Join("\n", attributes) + (attributes.Length > 0 ? "\n" : string.Empty)
            + $"{keyword} {name}{typeParameters}{primary}{baseType}\n{{\n{members}}}\n";

        switch (random.Next(tame ? 10 : 5))
        {
            case 0:
                declaration = $"public partial class Outer\n{{\n{Indent(declaration)}}}\n";
                break;
            case 1:
                declaration = $"public partial struct Outer\n{{\n{Indent(declaration)}}}\n";
                break;
            case 2:
                declaration = $"public {Choose(random, tame, new[] { "partial class", "static partial class" }, new[] { "class" })} Outer{Choose(random, tame, new[] { "" }, new[] { "<TOuter>" })}\n{{\n{Indent(declaration)}}}\n";
                break;
        }

        source.Append(declaration);
        source.Append("public class Base { public virtual int Units => 1; public int Timesteps; }\n");
        source.Append("public class BaseWithoutDefault { public BaseWithoutDefault(string s) { } }\n");
        if (random.Next(10) == 0)
        {
            // A second partial part in the same file, with more attributes or members.
            source.Append($"partial class {name}{typeParameters} {{ {Members(random, name.TrimStart('@'), tame)} }}\n");
        }

        return new FuzzCase(index, ns, source.ToString(), attributes.Length > 0 && !keyword.Contains("struct") && !keyword.Contains("interface"));
    }

    private static string[] Attributes(Random random, bool tame)
    {
        var attributes = new List<string>();
        if (tame || random.Next(4) != 0)
        {
            attributes.Add("[Sequential" + Arguments(random, tame, null, new[] { "Timesteps", "InputDim" }) + "]");
        }

        // Past the layer limit now and then (GeneratorLimitsTests covers stacks at the limit, which take long to compile).
        int layers = !tame && random.Next(10) == 0 ? random.Next(RnnGenerator.MaxLayers + 1, RnnGenerator.MaxLayers + 8) : random.Next(tame ? 1 : 0, 5);
        for (int i = 0; i < layers; i++)
        {
            string kind = Pick(random, "SimpleRnn", "Lstm", "Lstm", "Gru", "Gru", "Dense", "Dense", "Dropout");
            string[] named = kind switch
            {
                "Dense" => new[] { "Activation", "UseBias", "KernelInitializer", "BiasInitializer" },
                "Dropout" => Array.Empty<string>(),
                _ => new[]
                {
                    "Timesteps", "InputDim", "ReturnSequences", "ReturnState", "Stateful", "GoBackwards", "Bidirectional", "MergeMode",
                    "Activation", "RecurrentActivation", "UseBias", "KernelInitializer", "RecurrentInitializer", "BiasInitializer",
                    "Dropout", "RecurrentDropout", kind == "Gru" ? "ResetAfter" : "Activation", kind == "Lstm" ? "UnitForgetBias" : "UseBias",
                },
            };
            // A tame layer leaves its input shape to [Sequential] (a later layer's would have to match what reaches it).
            attributes.Add("[" + kind + Arguments(random, tame, kind == "Dropout" ? Rate(random, tame) : Size(random, tame),
                tame ? named.Where(n => n is not ("Timesteps" or "InputDim")).ToArray() : named) + "]");
        }

        // Layer-shaped models are mostly valid, so that many cases generate: ReturnSequences is set on all but the last
        // recurrent layer half of the time.
        if (tame || random.Next(2) == 0)
        {
            int last = attributes.FindLastIndex(a => a.StartsWith("[SimpleRnn", StringComparison.Ordinal) || a.StartsWith("[Lstm", StringComparison.Ordinal) || a.StartsWith("[Gru", StringComparison.Ordinal));
            for (int i = 0; i < last; i++)
            {
                if (!attributes[i].StartsWith("[Sequential", StringComparison.Ordinal) && !attributes[i].Contains("ReturnSequences") && !attributes[i].StartsWith("[D", StringComparison.Ordinal))
                {
                    attributes[i] = attributes[i].Replace(")]", ", ReturnSequences = true)]");
                }
            }
        }

        return attributes.ToArray();
    }

    private static string Arguments(Random random, bool tame, string? positional, string[] named)
    {
        var arguments = new List<string>();
        if (positional is not null && (tame || random.Next(25) != 0))
        {
            arguments.Add(positional);
        }

        foreach (string property in named)
        {
            if (random.Next(named.Length > 4 ? 6 : 2) != 0 && !(property is "Timesteps" or "InputDim" && (named.Length == 2 || tame)))
            {
                continue;
            }

            if (arguments.Any(a => a.StartsWith(property + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            string value = property switch
            {
                "Timesteps" or "InputDim" => Size(random, tame),
                "MergeMode" => Choose(random, tame, new[] { "MergeMode.Concat", "MergeMode.Sum", "MergeMode.Mul", "MergeMode.Ave", "MergeMode.None" }, new[] { "(MergeMode)99", "(MergeMode)(-1)" }),
                "Activation" or "RecurrentActivation" => Choose(random, tame,
                    new[] { "\"tanh\"", "\"relu\"", "\"hard_sigmoid\"", "\"swish\"", "\"linear\"", "\"selu\"", "\"exponential\"", "\"mish\"", "\"hard_sigmoid_keras2\"" },
                    new[] { "\"softmax\"", "\"rleu\"", "\"\"", "null", "\"TANH\"", "\"" + new string('a', 2000) + "\"", "\"tanh\\u0000\"", "3" }),
                "KernelInitializer" or "RecurrentInitializer" or "BiasInitializer" => Choose(random, tame,
                    new[] { "\"zeros\"", "\"ones\"", "\"glorot_uniform\"", "\"random_uniform(-0.1, 0.1)\"", "\"constant(0.5)\"" },
                    new[] { "\"orthogonal\"", "\"identity\"", "\"constant(1, 2)\"", "\"constant(\"", "\"random_uniform(minval=1e400)\"", "\"orthogonal(gain=nan)\"", "\"glorot_uniform(seed=3)\"", "\"random_normal(1e39, 1)\"",
                        "\"he_normal(seed=99999999999999999999)\"", "\"truncated_normal(stddev=-1)\"", "\"unknown\"", "null", "\"\"" }),
                "Dropout" or "RecurrentDropout" => Rate(random, tame),
                _ => Choose(random, tame, new[] { "true", "false" }, new[] { "1", "null" }),
            };
            arguments.Add($"{property} = {value}");
        }

        return arguments.Count == 0 ? (random.Next(2) == 0 ? "()" : string.Empty) : "(" + string.Join(", ", arguments) + ")";
    }

    private static string Size(Random random, bool tame) => (tame ? 1 + random.Next(7) : random.Next(3)) switch
    {
        0 => Pick(random, "0", "-1", "int.MinValue", "int.MaxValue", "65536", "65537", "1048576", "1048577", "1 << 20", "\"3\"", "3.5", "null"),
        1 => random.Next(100, 5000).ToString(CultureInfo.InvariantCulture),
        _ => random.Next(1, 40).ToString(CultureInfo.InvariantCulture),
    };

    private static string Rate(Random random, bool tame) =>
        Choose(random, tame, new[] { "0.0", "0.1", "0.5", "0.99", "1e-320" }, new[] { "1.0", "-0.1", "double.NaN", "double.PositiveInfinity", "\"x\"", "2" });

    private static string Members(Random random, string className, bool tame)
    {
        var members = new StringBuilder();
        int count = random.Next(3) == 0 ? random.Next(1, 4) : 0;
        for (int i = 0; i < count; i++)
        {
            members.Append("    ").AppendLine(Choose(random, tame,
                new[]
                {
                    "private int _note;", "public int Layers => 2;", $"public {className}(string path) : this() {{ }}", $"public {className}(long seed, int x) {{ }}",
                    $"static {className}() {{ }}", $"~{className}() {{ }}", "public float[][] GetWeights(int layer) => new float[0][];",
                    "public float[][] Predict(float[] input) => new float[0][];", "public int this[int i] => i;", "public event System.Action? Changed;",
                    "public override string ToString() => \"model\";", "public void ResetStates(int row) { }",
                },
                new[]
                {
                    "public int Units;", $"public {className}(int layers) {{ }}", $"public {className}(long seed) {{ }}", "public float[][] GetWeights() => new float[0][];",
                    "public class Input { }", "public struct OutputStep { }", "private void Run() { }", "private static int LstmLayer;",
                    "public const string Summary = \"\";", "RnnGen.ModelInfo RnnGen.IRnnModel.Info => null!;", "private float[] _scratch = new float[1];",
                    "public static int Timesteps;",
                }));
        }

        return members.ToString();
    }

    private static string Indent(string text) =>
        string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"));

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    // A valid choice, or (in a hostile case, one time in three) a hostile one.
    private static string Choose(Random random, bool tame, string[] valid, string[] hostile) =>
        !tame && random.Next(3) == 0 ? Pick(random, hostile) : Pick(random, valid);
}
