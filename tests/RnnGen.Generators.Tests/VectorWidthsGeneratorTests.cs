using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RnnGen.Testing;
using RnnGen.VectorWidths;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The library's build-time generator (generators/RnnGen.VectorWidths): a method marked [VectorWidths] and written for
/// Vector512 gets 256- and 128-bit copies that differ from it only in that name, and the copies compile. The runtime's
/// own operators are checked on every width by RnnGen.Tests' ActivationOperatorTests and, bit for bit against the
/// hand-written bodies they replaced, by the KernelCheck dumps (docs/generator.md).
/// </summary>
public class VectorWidthsGeneratorTests
{
    private const string Template = """
        using System;
        using System.Diagnostics;
        using System.Runtime.CompilerServices;
        using System.Runtime.Intrinsics;
        #if !NET9_0_OR_GREATER
        using System.Runtime.Intrinsics.X86;
        #endif

        namespace RnnGen.Kernels
        {
            [Conditional("NEVER")]
            [AttributeUsage(AttributeTargets.Method)]
            internal sealed class VectorWidthsAttribute : Attribute { }

            public static partial class Widths
            {
                /// <summary>Twice each lane, plus the lane count; <see cref="Vector512{T}"/> in a doc reference.</summary>
                [MethodImpl(MethodImplOptions.AggressiveInlining), VectorWidths]
                public static Vector512<float> Twice(Vector512<float> x)
                {
                    // Vector512 in a comment stays as written.
                    bool fast = Vector512.IsHardwareAccelerated && x86Available;
                    return x + x + Vector512.Create((float)Vector512<float>.Count) + (fast ? Vector512<float>.Zero : Vector512<float>.Zero);
                }

                private const bool x86Available = true;
            }
        }
        """;

    [Fact]
    public void Copies_rename_only_the_vector_type_and_compile()
    {
        CSharpCompilation compilation = CompilationHarness.CreateCompilation(Template);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new VectorWidthsGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        string generated = Assert.Single(driver.GetRunResult().GeneratedTrees).ToString();

        Assert.Contains("public static Vector256<float> Twice(Vector256<float> x)", generated);
        Assert.Contains("public static Vector128<float> Twice(Vector128<float> x)", generated);
        Assert.Contains("Vector256.IsHardwareAccelerated", generated);
        Assert.Contains("Vector128.Create((float)Vector128<float>.Count)", generated);
        Assert.Contains("<see cref=\"Vector128{T}\"/>", generated);
        Assert.Contains("// Vector512 in a comment stays as written.", generated);
        Assert.DoesNotContain("Vector512<float>", generated);
        Assert.DoesNotContain("AggressiveInlining), VectorWidths]", generated); // the copies are not templates
        Assert.Contains("[MethodImpl(MethodImplOptions.AggressiveInlining)]", generated);
        Assert.Contains("public static partial class Widths", generated);

        // Each copy is the template with one name replaced: nothing else differs.
        string template = Template.Substring(Template.IndexOf("        /// <summary>Twice", System.StringComparison.Ordinal));
        template = template.Substring(0, template.IndexOf("        }\n", System.StringComparison.Ordinal) + 9).Replace(", VectorWidths]", "]");
        foreach (string width in new[] { "Vector256", "Vector128" })
        {
            string expected = template.Replace("Vector512", width).Replace("// " + width + " in a comment", "// Vector512 in a comment");
            Assert.Contains(expected.Replace("\r\n", "\n").Replace("\n", "").Replace(" ", ""), generated.Replace("\r\n", "\n").Replace("\n", "").Replace(" ", ""));
        }
    }

    [Fact]
    public void A_method_without_the_marker_gets_no_copies()
    {
        CSharpCompilation compilation = CompilationHarness.CreateCompilation(Template.Replace(", VectorWidths]", "]"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new VectorWidthsGenerator()).RunGenerators(compilation);

        Assert.Empty(driver.GetRunResult().GeneratedTrees);
    }
}
