using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>The generated source for DESIGN.md's example and the paper's three potentials, as golden files.</summary>
public class SnapshotTests
{
    [Theory]
    [InlineData(nameof(Samples.ClippedGd), Samples.ClippedGd)]
    [InlineData(nameof(Samples.NormalizedGd), Samples.NormalizedGd)]
    [InlineData(nameof(Samples.AdamWithoutMomentum), Samples.AdamWithoutMomentum)]
    [InlineData(nameof(Samples.SignDescent), Samples.SignDescent)]
    [InlineData(nameof(Samples.Adam), Samples.Adam)]
    [InlineData(nameof(Samples.TwoLayerGd), Samples.TwoLayerGd)]
    public void Generated_source_matches_snapshot(string name, string source)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var (file, text) = Assert.Single(run.Generated.Select(p => (p.Key, p.Value)));
        Snapshot.Match(name + "." + file, text);
    }
}
