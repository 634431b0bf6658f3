// The namespaces every code fix of this project uses (Roslyn's code-action, code-fix and C# syntax APIs, MEF's
// [Shared], the generator's descriptors), imported once instead of at the head of each fix.
global using System.Composition;
global using System.Threading.Tasks;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.CodeActions;
global using Microsoft.CodeAnalysis.CodeFixes;
global using Microsoft.CodeAnalysis.CSharp;
global using Microsoft.CodeAnalysis.CSharp.Syntax;
global using RnnGen.Generators.Diagnostics;
