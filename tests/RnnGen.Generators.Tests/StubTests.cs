using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Emit;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// One error per mistake: a declaration with errors gets stand-in members (Emit/StubEmitter.cs), so the code that uses
/// the class binds and the error list holds the RNNG errors alone, not CS1061 / CS0426 for every use of a member the
/// generator did not emit. Without the stub each test below fails: its user code names Forward, Input, Output, ...
/// </summary>
public class StubTests
{
    // The members a user's program touches, as the README's quickstart and the docs use them.
    private const string Usage = """
        public static class Program
        {
            public static float Run()
            {
                var model = new Demo.Model();
                var seeded = new Demo.Model(42);
                Demo.Model.Input x = default;
                x.AsSpan().Fill(1f);
                model.Forward(in x, out Demo.Model.Output y);
                float first = y.Result.AsSpan()[0] + y.Result[0][0];
                Demo.Model.InputStep now = default;
                model.Step(in now, out Demo.Model.OutputStep step);
                float[][] predicted = model.Predict(new float[Demo.Model.Timesteps * Demo.Model.InputDim]);
                model.LoadWeights("model.weights.h5");
                model.ResetStates();
                const int perSample = Demo.Model.OutputLength / Demo.Model.OutputDim;
                return first + step.AsSpan()[0] + predicted.Length + perSample + Demo.Model.ParameterCount + Demo.Model.Summary.Length + seeded.GetWeights().Length;
            }
        }
        """;

    [Fact]
    public void A_hand_declaration_with_an_error_reports_only_its_RNNG_error_at_the_use_sites()
    {
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n\n[Lstm(4, Timesteps = 3, InputDim = 2, Activation = \"tanhh\")]\ninternal partial class Model;\n",
            Usage.Replace("public static class", "internal static class"));

        Assert.Equal(new[] { "RNNG007" }, run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.Sources);
        Assert.Single(run.Stubs);
        Assert.Empty(run.CompilationDiagnostics); // no CS1061 / CS0426 / CS0117 beside the RNNG error
    }

    [Fact]
    public void A_KerasModel_declaration_whose_file_is_not_in_the_build_reports_only_RNNG040()
    {
        GeneratorRun run = KerasModelHarness.Run("namespace Demo;\n[RnnGen.KerasModel(\"models/missing.keras\")] public partial class Model;\n" + Usage);

        Assert.Equal(new[] { "RNNG040" }, run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Single(run.Stubs);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void Without_a_stub_the_use_sites_would_add_compiler_errors()
    {
        // The control for the two tests above: the same user code against a class with no generated part at all (a
        // non-partial class gets no stub, RNNG001 reports it) gives the cascade that the stub prevents.
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n\n[Lstm(4, Timesteps = 3, InputDim = 2)]\npublic class Model { }\n",
            Usage);

        Assert.Empty(run.Stubs);
        Assert.Contains(run.CompilationDiagnostics, d => d.Id is "CS1061" or "CS0426" or "CS0117");
    }

    [Fact]
    public void The_stub_leaves_out_what_the_user_declares()
    {
        // A user's own constructor and a member named as a generated one (RNNG-reported clash) stay the only ones.
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n\n[Lstm(4, Timesteps = 3, InputDim = 2, Activation = \"tanhh\")]\n"
            + "public partial class Model\n{\n    public Model(string name) { }\n    public int Summary => 3;\n}\n");

        string stub = Assert.Single(run.Stubs).Text;
        Assert.DoesNotContain("public Model(", stub, StringComparison.Ordinal);
        Assert.DoesNotContain("Summary", stub, StringComparison.Ordinal);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void The_stub_declares_every_public_member_name_of_a_generated_model()
    {
        // Held to the real emitter: a member it gains is one the stub must stand in for. Models of each shape of API:
        // states returned, a causal stack (Step, streams), whole-sequence Bidirectional, stateful.
        GeneratorRun run = CompilationHarness.Run("using RnnGen;\nnamespace Demo;\n\n"
            + "[Lstm(4, Timesteps = 3, InputDim = 2, ReturnState = true)]\npublic partial class WithState;\n"
            + "[Sequential(Timesteps = 3, InputDim = 2)]\n[Gru(4, ReturnSequences = true)]\n[LayerNormalization]\n[Dense(1)]\npublic partial class Causal;\n"
            + "[Lstm(2, Timesteps = 3, InputDim = 2, Bidirectional = true, ReturnState = true)]\npublic partial class Both;\n"
            + "[SimpleRnn(2, Timesteps = 3, InputDim = 2, Stateful = true)]\npublic partial class Stateful;\n");
        Assert.Empty(run.GeneratorDiagnostics);
        var generated = new[] { "WithState", "Causal", "Both", "Stateful" }
            .SelectMany(name => run.Output.GetTypeByMetadataName("Demo." + name)!.GetMembers())
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared)
            .Where(m => m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary })
            .Select(m => m.Name)
            .ToHashSet();
        Assert.Contains("Step", generated); // the set is not trivially small
        Assert.Empty(generated.Except(StubEmitter.MemberNames));
    }

    [Fact]
    public void An_unchanged_compilation_leaves_the_stub_cached()
    {
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n\n[Lstm(4, Timesteps = 3, InputDim = 2, Activation = \"tanhh\")]\npublic partial class Model;\n", Usage);
        run.AssertRerunIsCached(TrackingNames.Diagnostics);
        Assert.All(CompilationHarness.StepReasons(CompilationHarness.Rerun(run))[TrackingNames.Stub],
            reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public Task Stub_source()
    {
        GeneratorRun run = CompilationHarness.Run(
            "using RnnGen;\nnamespace Demo;\n\npublic partial class Outer\n{\n    [Lstm(4, Timesteps = 3, InputDim = 2, Activation = \"tanhh\")]\n    public partial class Model;\n}\n");
        var (hintName, text) = Assert.Single(run.Stubs);
        Assert.StartsWith("Demo.Outer.Model.", hintName, StringComparison.Ordinal);
        return Snapshot.Verify(text, "cs");
    }
}
