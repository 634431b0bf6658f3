using System;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Benchmarks.Harness;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// What the generator costs a build: one full run over <see cref="ClassCount"/> annotated classes (a clean build, or
/// the IDE opening the project), and the incremental run after an edit that touches no model (every keystroke in the
/// IDE), which the pipeline's caching should make nearly free.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    public const int ClassCount = 200;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = GeneratorHost.Compilation(GeneratorHost.AnnotatedClasses(ClassCount));
        // The declarations must be valid and their output must compile, or the benchmark times error reporting.
        (GeneratorDriverRunResult run, _) = GeneratorHost.GenerateAndCheck(_compilation);
        int generated = run.GeneratedTrees.Length;
        if (generated != ClassCount)
        {
            throw new InvalidOperationException($"Expected {ClassCount} generated files, got {generated}.");
        }

        _warmDriver = GeneratorHost.Driver().RunGenerators(_compilation);
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Generated.Other; public static class Unrelated { public static int Answer() => 42; }", GeneratorHost.ParseOptions, path: "Unrelated.cs"));
    }

    /// <summary>A cold run: extract, parse and emit all 200 models.</summary>
    [Benchmark(Baseline = true)]
    public int Generate200Classes() =>
        GeneratorHost.Driver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>The incremental run after adding a file with no model: every model step should come from the cache.</summary>
    [Benchmark]
    public int RerunAfterUnrelatedEdit() =>
        _warmDriver.RunGenerators(_edited).GetRunResult().GeneratedTrees.Length;
}
