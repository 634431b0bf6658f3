using System.Collections.Immutable;
using System.Linq;

namespace RnnGen.CodeFixes;

/// <summary>
/// What every RnnGen code fix does alike, written once: it lists the generator's descriptors it fixes, fixes all
/// occurrences with the batch fixer, reads the document's syntax root and semantic model, and offers its fixes for
/// each diagnostic in turn (<see cref="RegisterCodeFixes"/>). The semantic model is already built where a generator
/// diagnostic is shown, so asking for it costs the fixes that do not use it nothing.
/// </summary>
public abstract class RnnGenCodeFix : CodeFixProvider
{
    /// <summary>A fix for the diagnostics of <paramref name="fixable"/>.</summary>
    private protected RnnGenCodeFix(params DiagnosticDescriptor[] fixable) =>
        FixableDiagnosticIds = fixable.Select(descriptor => descriptor.Id).ToImmutableArray();

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            RegisterCodeFixes(context, root, model, diagnostic);
        }
    }

    /// <summary>Registers the fixes for one diagnostic, or none where the code it underlines is not what the fix expects.</summary>
    private protected abstract void RegisterCodeFixes(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic);
}
