using RnnGen.Generators.Emit;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    /// <summary>Writes the source for one model. Pure and deterministic: the same spec gives byte-identical text.</summary>
    internal static string Emit(ModelSpec spec) => new ModelEmitter(new ModelLayout(spec)).Write();
}
