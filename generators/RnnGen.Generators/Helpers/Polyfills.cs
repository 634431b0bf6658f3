// Language features that the netstandard2.0 target lacks the types for.
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets records and init-only setters compile for netstandard2.0.</summary>
    internal static class IsExternalInit
    {
    }

    /// <summary>Lets <c>required</c> members compile for netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
    internal sealed class RequiredMemberAttribute : Attribute
    {
    }

    /// <summary>Lets <c>required</c> members compile for netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class CompilerFeatureRequiredAttribute : Attribute
    {
        public CompilerFeatureRequiredAttribute(string featureName) => FeatureName = featureName;

        public string FeatureName { get; }

        public bool IsOptional { get; init; }
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Lets <c>required</c> members compile for netstandard2.0 (record copy constructors carry it).</summary>
    [AttributeUsage(AttributeTargets.Constructor, Inherited = false)]
    internal sealed class SetsRequiredMembersAttribute : Attribute
    {
    }
}
