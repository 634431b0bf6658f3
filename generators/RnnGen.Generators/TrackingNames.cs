namespace RnnGen.Generators;

/// <summary>Names of the pipeline steps, so incremental tests can ask each step whether it was cached.</summary>
internal static class TrackingNames
{
    public const string Extract = nameof(Extract);
    public const string Parse = nameof(Parse);
    public const string Spec = nameof(Spec);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Stub = nameof(Stub);
    public const string KerasModelFiles = nameof(KerasModelFiles);
}
