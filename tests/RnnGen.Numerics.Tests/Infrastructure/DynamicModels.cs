using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using RnnGen.Testing;

namespace RnnGen.Numerics.Tests.Infrastructure;

/// <summary>
/// Compiles the declarations of many test cases in one in-memory compilation with the RnnGen generator (as a user's
/// build would), loads the assembly, and hands out fresh model instances. One compilation serves a whole test class.
/// </summary>
public sealed class DynamicModels
{
    private readonly Assembly _assembly;
    private readonly Dictionary<string, string> _classNames;

    /// <param name="cases">The models, by case name.</param>
    /// <param name="members">Members added to every model class (adapters the tests call through reflection).</param>
    /// <param name="precision">Declares every model with [Sequential(WeightPrecision = ...)]; null: as <see cref="CaseModel.Attributes"/> chooses.</param>
    public DynamicModels(IEnumerable<(string Name, CaseModel Model)> cases, string members = "", WeightPrecision? precision = null)
    {
        _classNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var source = new StringBuilder("namespace Cases;\n\n");
        foreach (var (name, model) in cases)
        {
            string className = "Case_" + new string(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
            if (!_classNames.TryAdd(name, className))
            {
                continue;
            }

            source.Append(model.Attributes(precision));
            source.Append($"public partial class {className}\n{{\n");
            // Initial-state Predict is not on IRnnModel (only single-recurrent-layer models have it): an adapter the
            // tests can call through reflection with arrays.
            if (model.Layers.Count(l => l.Kind is "SimpleRnn" or "Lstm" or "Gru") == 1)
            {
                source.Append("    public float[][] PredictWithInitialState(float[] input, float[][] initialState) => Predict(input, initialState);\n");
            }

            source.Append(members);
            source.Append("}\n\n");
        }

        GeneratorRun run = CompilationHarness.Run(source.ToString());
        var errors = run.GeneratorDiagnostics.Concat(run.CompilationDiagnostics).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The case models did not compile:\n" + string.Join("\n", errors.Take(20)));
        }

        _assembly = run.Load();
    }

    public IRnnModel Create(string caseName)
    {
        Type type = _assembly.GetType("Cases." + _classNames[caseName], throwOnError: true)!;
        return (IRnnModel)Activator.CreateInstance(type)!;
    }

    public static float[][] PredictWithInitialState(IRnnModel model, float[] input, float[][] initialState)
    {
        MethodInfo method = model.GetType().GetMethod("PredictWithInitialState")
            ?? throw new InvalidOperationException($"{model.GetType().Name} has no initial-state overload.");
        try
        {
            return (float[][])method.Invoke(model, new object[] { input, initialState })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
