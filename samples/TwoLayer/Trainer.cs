using System;
using System.Diagnostics;
using DslOptim;
using DslOptim.TwoLayer.Theory;

namespace TwoLayer;

/// <summary>One GD run of Problem 2: L(t), η_t and the per-step factor h(η_t, t) of bound (20), all from the generated step's certificate.</summary>
public sealed class Trace
{
    public required double[] Loss { get; init; }

    public required double[] Eta { get; init; }

    /// <summary>h(η_t, t): ρ (10) from the certificate, or ρ̄ from Theorem E.1 for the ρ̄ rule.</summary>
    public required double[] Factor { get; init; }

    /// <summary>Steps at which the cap (1 + η0^d)^{t/2}η0 set η_t (eq. (19) rules only).</summary>
    public int CapSteps { get; init; }

    /// <summary>Steps at which 1/K_t set η_t.</summary>
    public int InverseKSteps { get; init; }

    /// <summary>Largest 1/K_t ÷ cap over the run (how far the cap was below 1/K_t at most).</summary>
    public double MinInverseKOverCap { get; init; } = double.NaN;

    /// <summary>Wall time of the steps (not the set-up).</summary>
    public double Seconds { get; init; }

    /// <summary>Trial losses of backtracking beyond one per step.</summary>
    public long Reductions { get; init; }
}

public static class Trainer
{
    /// <summary>Theorem E.1 for a draw: Table 2 from the weights and data, η_max for (c, d), the bounds at η0 = η_max.</summary>
    public static TwoLayerRateBound Theory(Setting s, double c, double d)
    {
        var constants = TwoLayerConstants.ForSquaredLoss(s.X, s.Y, s.S, s.W1, s.W2, s.N, s.M, s.H);
        var limit = TwoLayerStepSizeLimit.Compute(constants, c, d);
        return limit.RateAt(limit.EtaMax);
    }

    /// <summary>Runs <paramref name="steps"/> steps of the generated GD step with <paramref name="rule"/> from the draw's W(0).</summary>
    public static Trace Run(Setting s, TwoLayerStepSize rule, int steps, int threads, TwoLayerRateBound? rhoBarFactors = null)
    {
        double[] w1 = (double[])s.W1.Clone(), w2 = (double[])s.W2.Clone();
        var problem = new TwoLayerProblem<double>(s.X, s.S, s.N, s.Y, s.M);
        var workspace = new TwoLayerWorkspace<double>(problem, s.H, threads);
        var gd = new SquaredLossGd();
        var loss = new double[steps + 1];
        var eta = new double[steps];
        var factor = new double[steps];
        int cap = 0, inverse = 0;
        double ratio = double.PositiveInfinity;
        var adaptive = rule as AdaptiveStepSize;
        var clock = Stopwatch.StartNew();
        for (int t = 0; t < steps; t++)
        {
            // DslOptim's step t + 1 moves from the paper's iterate t.
            TwoLayerCertificate c = gd.Step(problem, w1, w2, workspace, t + 1, rule);
            loss[t] = c.Loss;
            eta[t] = c.StepSize;
            factor[t] = rhoBarFactors is null ? c.RhoAtStep : rhoBarFactors.RhoBar(c.StepSize, t);
            if (adaptive is not null)
            {
                if (adaptive.LastBound == StepSizeBound.Cap)
                {
                    cap++;
                }
                else
                {
                    inverse++;
                }
                ratio = Math.Min(ratio, adaptive.LastInverseSmoothness / adaptive.LastCap);
            }
        }
        loss[steps] = gd.Certify(problem, w1, w2, workspace).Loss;
        double seconds = clock.Elapsed.TotalSeconds;
        return new Trace
        {
            Loss = loss, Eta = eta, Factor = factor, CapSteps = cap, InverseKSteps = inverse,
            MinInverseKOverCap = adaptive is null ? double.NaN : ratio, Seconds = seconds,
            Reductions = rule is BacktrackingStepSize b ? b.TotalReductions : 0,
        };
    }

    /// <summary>Problem 1, ℓ(W) = ½‖XW − Y‖²_F by GD with η = 1/σ²_max(X) from W(0) = W₁(0)W₂(0)ᵀ: ℓ(t), t = 0 … steps.</summary>
    public static double[] RunProblem1(Setting s, double eta, int steps)
    {
        int n = s.N, m = s.M;
        double[] w = Dense.MultiplyTransposed(s.W1, n, s.H, s.W2, m);
        var loss = new double[steps + 1];
        var r = new double[s.S * m];
        for (int t = 0; ; t++)
        {
            var xw = Dense.Multiply(s.X, s.S, n, w, m);
            double l = 0;
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = xw[i] - s.Y[i];
                l += 0.5 * r[i] * r[i];
            }
            loss[t] = l;
            if (t == steps)
            {
                return loss;
            }
            // ∇ℓ = Xᵀ(XW − Y)
            for (int a = 0; a < n; a++)
            {
                for (int b = 0; b < m; b++)
                {
                    double g = 0;
                    for (int i = 0; i < s.S; i++)
                    {
                        g += s.X[(i * n) + a] * r[(i * m) + b];
                    }
                    w[(a * m) + b] -= eta * g;
                }
            }
        }
    }
}
