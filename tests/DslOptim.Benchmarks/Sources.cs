using DslOptim.Generators.Tests.Infrastructure;

namespace DslOptim.Benchmarks;

/// <summary>
/// The paper's three potentials as source text: the generator tests' Samples.cs, linked into this project
/// (see the csproj), so both measure and test the same declarations.
/// </summary>
public static class Sources
{
    /// <summary>Gradient clipping as an isotropic potential (paper §II.A.2).</summary>
    public const string ClippedGd = Samples.ClippedGd;

    /// <summary>Normalized GD (paper §II.A.1).</summary>
    public const string NormalizedGd = Samples.NormalizedGd;

    /// <summary>Adam without momentum (paper §II.A.3).</summary>
    public const string AdamWithoutMomentum = Samples.AdamWithoutMomentum;

    /// <summary>An unrelated file of the same project, edited between generator runs.</summary>
    public const string Unrelated = """
        namespace Samples;

        public static class Unrelated
        {
            public static int Value() => 1;
        }
        """;

    /// <summary>The source of a sample by name (the [Params] value).</summary>
    public static string Of(string name) => name switch
    {
        nameof(ClippedGd) => ClippedGd,
        nameof(NormalizedGd) => NormalizedGd,
        nameof(AdamWithoutMomentum) => AdamWithoutMomentum,
        _ => throw new System.ArgumentOutOfRangeException(nameof(name), name, "unknown sample"),
    };
}
