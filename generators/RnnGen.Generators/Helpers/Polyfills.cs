// Language features that the netstandard2.0 target lacks the types for.
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets records and init-only setters compile for netstandard2.0.</summary>
    internal static class IsExternalInit
    {
    }
}
