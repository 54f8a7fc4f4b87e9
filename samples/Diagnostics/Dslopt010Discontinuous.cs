using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT010, discontinuous piecewise formula. The Huber potential with its constant forgotten:
/// φ(z) = z²/2 for |z| ≤ ε, ε|z| for |z| &gt; ε (the correct second branch is ε|z| − ε²/2). At z = ±ε the
/// value jumps from ε²/2 to ε² while the one-sided slopes agree (±ε), so the kernel's φ′ is the Huber
/// gradient and nothing looks wrong in training — but the declared K is not continuous, hence not
/// convex, and is not the potential of the update that runs.
/// </summary>
/// <remarks>
/// Only the jump is wrong: no slope gap, so no DSLOPT002, and the kernel's φ′ is 1-Lipschitz, so no
/// DSLOPT007. A jump also makes φ non-convex: Info lists "K convex: refuted" with a witness across the
/// breakpoint, but the analyzer reports the cause, DSLOPT010, not a DSLOPT001 next to it. Adding the
/// missing − 0.5 * Eps * Eps to the second branch removes both. The analysis uses Eps = 1, the declared default.
/// Expected, once per breakpoint:
///   warning DSLOPT010: Phi jumps at z = 1, the breakpoint of '|z| ≤ Eps ? … : …': Phi(1−) and Phi(1+) differ by 0.5
///   warning DSLOPT010: Phi jumps at z = -1, the breakpoint of '|z| ≤ Eps ? … : …': Phi(-1−) and Phi(-1+) differ by -0.5
/// </remarks>
[Optimizer]
public partial struct HuberWithoutConstant
{
    public double Eps { get; init; } = 1.0;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) <= Eps ? 0.5 * z * z : Eps * Math.Abs(z);

    [Schedule] public double LearningRate(long t) => 0.1;
}
