using System;
using System.Globalization;
using DiagnosticsGallery;
using DslOptim;

// The diagnostics gallery: one small optimizer per theory diagnostic, plus one that is clean.
// `dotnet build samples/Diagnostics` prints the diagnostics (this project keeps them as warnings);
// this program prints what each declaration shows and what the generator derived and concluded for it.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var gallery = new Entry[]
{
    new("DSLOPT001", "CauchyPotential", "φ = log(1 + z²)", "K not convex: φ″ < 0 for |z| > 1, shown by a midpoint witness", CauchyPotential.Info),
    new("DSLOPT002", "AbsPlusQuadratic", "φ = |z| + z²/2", "kink of |z| at z = 0: one-sided slopes −1 and 1", AbsPlusQuadratic.Info),
    new("DSLOPT003", "ShiftedQuadratic", "φ = (z − 1)²/2", "∇K(0) = −1: K minimal at z = 1, not 0", ShiftedQuadratic.Info),
    new("DSLOPT004", "DeadZoneGd", "h = s ≤ ε ? 0 : (s − ε)²/2", "isotropic h with h′ = 0 on (0, ε]: Theorem 2's implicit bias lost", DeadZoneGd.Info),
    new("DSLOPT005", "FlatAtOne", "∇K = g − atan(g − 1) − π/4", "convex, but φ″ touches 0 at z = 1: no proof, no witness", FlatAtOne.Info),
    new("DSLOPT006", "LogCoshLossGd", "ℓ = log cosh r", "loss not strongly convex: μ = inf ℓ″ = 0, no rate (6), no η*", LogCoshLossGd.Info),
    new("DSLOPT007", "ThreeHalvesPower", "φ = |z|^1.5", "∇K not Lipschitz: φ″ = 0.75|z|^−0.5 near 0, L_K = ∞", ThreeHalvesPower.Info),
    new("DSLOPT010", "HuberWithoutConstant", "φ = |z| ≤ ε ? z²/2 : ε|z|", "value jumps by ε²/2 at z = ±ε (the −ε²/2 was forgotten); not convex either", HuberWithoutConstant.Info),
    new("(none)", "ClippedGd", "h = s ≤ ε ? s²/2 : εs − ε²/2", "gradient clipping: every check passes", ClippedGd.Info),
};

Console.WriteLine("DslOptim diagnostics gallery: build with `dotnet build samples/Diagnostics` to see the diagnostics.");
Console.WriteLine();
PrintTable(gallery);
Console.WriteLine();

foreach (var entry in gallery)
{
    Console.WriteLine($"== {entry.Id}: {entry.Declaration} ==");
    Console.Write(entry.Info);
    Console.WriteLine($"  constants: {Describe(entry.Info.Constants)}");
    Console.WriteLine();
}

static void PrintTable(Entry[] entries)
{
    var header = new Entry("id", "declaration", "formula", "what it shows", null!);
    int idWidth = header.Id.Length, nameWidth = header.Declaration.Length, formulaWidth = header.Formula.Length, showsWidth = header.Shows.Length;
    foreach (var entry in entries)
    {
        idWidth = Math.Max(idWidth, entry.Id.Length);
        nameWidth = Math.Max(nameWidth, entry.Declaration.Length);
        formulaWidth = Math.Max(formulaWidth, entry.Formula.Length);
        showsWidth = Math.Max(showsWidth, entry.Shows.Length);
    }
    void Row(Entry e) => Console.WriteLine($"{e.Id.PadRight(idWidth)}  {e.Declaration.PadRight(nameWidth)}  {e.Formula.PadRight(formulaWidth)}  {e.Shows}");
    Row(header);
    Console.WriteLine($"{new string('-', idWidth)}  {new string('-', nameWidth)}  {new string('-', formulaWidth)}  {new string('-', showsWidth)}");
    foreach (var entry in entries)
    {
        Row(entry);
    }
}

// OptimizerInfo's convention: NaN is "not established" (shown as —), +∞ is "proven infinite".
static string Describe(AnalysisConstants c)
    => $"L_K = {Format(c.GradientLipschitz)}, m_K = {Format(c.MinimumCurvature)}, μ = {Format(c.LossStrongConvexity)}, M = {Format(c.LossSmoothness)}";

static string Format(double value) => value switch
{
    double.NaN => "—",
    double.PositiveInfinity => "∞",
    double.NegativeInfinity => "−∞",
    _ => value.ToString("G6", CultureInfo.InvariantCulture),
};

/// <summary>One gallery line: the diagnostic id, the optimizer, its formula, what it shows, and the generated Info.</summary>
internal sealed record Entry(string Id, string Declaration, string Formula, string Shows, OptimizerInfo Info);
