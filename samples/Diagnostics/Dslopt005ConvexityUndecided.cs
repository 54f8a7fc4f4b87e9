using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT005, convexity undecided. φ(z) = z²/2 − (z − 1)·atan(z − 1) + log(1 + (z − 1)²)/2 − (π/4)·z is
/// convex — ∇K(g) = φ′(g) = g − atan(g − 1) − π/4 and φ″(z) = (z − 1)²/(1 + (z − 1)²) ≥ 0 — but hard to
/// prove: no composition rule covers a product (z − 1)·atan(z − 1) minus a log, and φ″ touches 0 at z = 1,
/// so every interval enclosure of φ″ on a box around 1 (of the derived formula, or of its numerator
/// expanded as z² − 2z + 1) dips below 0 however small the box: branch and bound cannot close that box.
/// There is no counterexample to find.
/// </summary>
/// <remarks>
/// The rest is in order: φ′(0) = −atan(−1) − π/4 = 0, φ′ has the sign of z (so K is minimal at 0 only),
/// and φ″ &lt; 1, so ∇K is 1-Lipschitz. The analyzer may or may not decide this formula (a tighter
/// enclosure that keeps (z − 1)² a square would prove it); when it cannot, it says what it tried.
/// Info by default; samples/Diagnostics/.editorconfig raises it to a warning so the build prints it.
/// Expected, in this shape:
///   warning DSLOPT005: Convexity of Phi is undecided: composition rules did not apply; interval arithmetic
///   on Phi″ (as derived and as N/D) stopped at z ∈ [1, 1] after 210 boxes; no midpoint-convexity violation
///   found on a grid of 43 points
/// </remarks>
[Optimizer]
public partial struct FlatAtOne
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z)
        => 0.5 * z * z - (z - 1) * Math.Atan(z - 1) + 0.5 * Math.Log(1 + (z - 1) * (z - 1)) - Math.PI / 4 * z;

    [Schedule] public double LearningRate(long t) => 0.1;
}
