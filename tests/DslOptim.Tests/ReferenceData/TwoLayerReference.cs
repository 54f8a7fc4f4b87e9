using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DslOptim.Tests.ReferenceData;

/// <summary>
/// The committed output of <c>reference/two_layer_reference.py</c> (the local-PL paper's Problem 2 with the squared
/// loss, computed from the paper with numpy/scipy/mpmath): fixed data, Table 2's constants, η_max of Theorem E.1 and
/// 50-step gradient-descent trajectories with their per-step certificate. Copied at build time from
/// <c>reference/two_layer_reference.json</c> to <c>ReferenceData/</c> next to the test assembly (the csproj copies
/// <c>reference/*.json</c>). Schema: reference/README.md. Matrices are row-major flattened arrays; floats were
/// written with Python's repr, so they parse to the identical doubles.
/// </summary>
public sealed class TwoLayerReference
{
    private static readonly Lazy<TwoLayerReference> Instance = new(Read);

    private TwoLayerReference(int steps, string numpyVersion, string mpmathVersion, IReadOnlyList<TwoLayerReferenceCase> cases)
    {
        Steps = steps;
        NumpyVersion = numpyVersion;
        MpmathVersion = mpmathVersion;
        Cases = cases;
    }

    /// <summary>The file name in reference/ and in ReferenceData/.</summary>
    public const string FileName = "two_layer_reference.json";

    /// <summary>Gradient-descent steps per run (50): each run has Steps + 1 losses and Steps per-step values.</summary>
    public int Steps { get; }

    /// <summary>numpy.__version__ of the run that wrote the file.</summary>
    public string NumpyVersion { get; }

    /// <summary>mpmath.__version__ of the run that wrote the file.</summary>
    public string MpmathVersion { get; }

    /// <summary>The data sets, in file order.</summary>
    public IReadOnlyList<TwoLayerReferenceCase> Cases { get; }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public TwoLayerReferenceCase Case(string name)
        => Cases.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No case '{name}' in {FileName}.");

    /// <summary>The file, parsed once per test run.</summary>
    public static TwoLayerReference Load() => Instance.Value;

    private static TwoLayerReference Read()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "ReferenceData", FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{FileName} was not copied next to the tests; it comes from reference/{FileName} through DslOptim.Tests.csproj.", path);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(ReadCase).ToArray();
        return new TwoLayerReference(root.GetProperty("steps").GetInt32(), root.GetProperty("numpy").GetString()!,
            root.GetProperty("mpmath").GetString()!, cases);
    }

    private static TwoLayerReferenceCase ReadCase(JsonElement e)
    {
        var k = e.GetProperty("constants");
        var t0 = e.GetProperty("t0");
        return new TwoLayerReferenceCase
        {
            Name = e.GetProperty("name").GetString()!,
            Seed = e.GetProperty("seed").GetInt64(),
            S = e.GetProperty("s").GetInt32(),
            N = e.GetProperty("n").GetInt32(),
            M = e.GetProperty("m").GetInt32(),
            H = e.GetProperty("h").GetInt32(),
            XKind = e.GetProperty("x_kind").GetString()!,
            InitStd = e.GetProperty("init_std").GetDouble(),
            NoiseVariance = e.GetProperty("noise_variance").GetDouble(),
            X = Array(e, "x"),
            Y = Array(e, "y"),
            W1 = Array(e, "w1"),
            W2 = Array(e, "w2"),
            WStar = Array(e, "w_star"),
            Mu = e.GetProperty("mu").GetDouble(),
            K = e.GetProperty("k").GetDouble(),
            InitialLoss = e.GetProperty("initial_loss").GetDouble(),
            Constants = new TwoLayerReferenceConstants
            {
                LambdaPlus = k.GetProperty("lambda_plus").GetDouble(),
                LambdaMinus = k.GetProperty("lambda_minus").GetDouble(),
                LambdaN = k.GetProperty("lambda_n").GetDouble(),
                LambdaMNegative = k.GetProperty("lambda_m_neg").GetDouble(),
                DeltaPlus = k.GetProperty("delta_plus").GetDouble(),
                DeltaMinus = k.GetProperty("delta_minus").GetDouble(),
                DeltaUnder = k.GetProperty("delta_under").GetDouble(),
                Beta1 = k.GetProperty("beta1").GetDouble(),
                Beta2 = k.GetProperty("beta2").GetDouble(),
                Alpha1 = k.GetProperty("alpha1").GetDouble(),
                Alpha2 = k.GetProperty("alpha2").GetDouble(),
                SigmaMinWStar = k.GetProperty("sigma_min_w_star").GetDouble(),
                SigmaMaxWStar = k.GetProperty("sigma_max_w_star").GetDouble(),
                InitialDistance = k.GetProperty("initial_distance").GetDouble(),
                D0NonzeroEigenvalues = Array(k, "d0_nonzero_eigenvalues"),
            },
            SigmaMinTSquaredEq29 = t0.GetProperty("sigma_min_sq_eq29").GetDouble(),
            SigmaMaxTSquaredEq29 = t0.GetProperty("sigma_max_sq_eq29").GetDouble(),
            SigmaMinTSquaredExplicit = t0.GetProperty("sigma_min_sq_explicit").GetDouble(),
            SigmaMaxTSquaredExplicit = t0.GetProperty("sigma_max_sq_explicit").GetDouble(),
            EtaMax = e.GetProperty("eta_max").EnumerateArray().Select(x => new TwoLayerReferenceEtaMax
            {
                C = x.GetProperty("c").GetDouble(),
                D = x.GetProperty("d").GetDouble(),
                Eta1 = x.GetProperty("eta1").GetDouble(),
                Eta2 = x.GetProperty("eta2").GetDouble(),
                Eta3 = x.GetProperty("eta3").GetDouble(),
                EtaMax = x.GetProperty("eta_max").GetDouble(),
                Binding = x.GetProperty("binding").GetString()!,
                Residual87 = x.GetProperty("residual87").GetDouble(),
                Residual88 = x.GetProperty("residual88").GetDouble(),
                MuBar = x.GetProperty("mu_bar").GetDouble(),
                KBar0 = x.GetProperty("k_bar0").GetDouble(),
                RhoBar0 = x.GetProperty("rho_bar0").GetDouble(),
                Delta = x.GetProperty("delta").GetDouble(),
            }).ToArray(),
            Runs = e.GetProperty("runs").EnumerateArray().Select(ReadRun).ToArray(),
        };
    }

    private static TwoLayerReferenceRun ReadRun(JsonElement r) => new()
    {
        Schedule = r.GetProperty("schedule").GetString()!,
        C = r.GetProperty("c").GetDouble(),
        D = r.GetProperty("d").GetDouble(),
        Eta0 = r.GetProperty("eta0").GetDouble(),
        Eta0OverEtaMax = r.GetProperty("eta0_over_eta_max").GetDouble(),
        Steps = r.GetProperty("steps").GetInt32(),
        Loss = Array(r, "loss"),
        Eta = Array(r, "eta"),
        MuT = Array(r, "mu_t"),
        KT = Array(r, "k_t"),
        InverseKT = Array(r, "inv_k_t"),
        Rho = Array(r, "rho"),
        RhoBar = OptionalArray(r, "rho_bar"),
        KBar = OptionalArray(r, "k_bar"),
        Cap = Array(r, "cap"),
        SigmaMinTSquared = Array(r, "sigma_min_sq"),
        SigmaMaxTSquared = Array(r, "sigma_max_sq"),
        SigmaMinTSquaredExplicit = Array(r, "sigma_min_sq_explicit"),
        SigmaMaxTSquaredExplicit = Array(r, "sigma_max_sq_explicit"),
        SigmaMaxW = Array(r, "sigma_max_w"),
        GradNormSquared = Array(r, "grad_norm_sq"),
        Bound17 = OptionalArray(r, "bound17"),
        Bound20 = Array(r, "bound20"),
        Bound20Factor = r.GetProperty("bound20_factor").GetString()!,
    };

    private static double[] Array(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[]? OptionalArray(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetDouble()).ToArray() : null;
}

/// <summary>One data set: sizes, the data (row-major), the loss constants and the reference values.</summary>
public sealed class TwoLayerReferenceCase
{
    /// <summary>The case's name, e.g. <c>orth_n4_m4_h20</c>.</summary>
    public required string Name { get; init; }

    /// <summary>numpy.random.default_rng seed that drew the data.</summary>
    public required long Seed { get; init; }

    /// <summary>Samples (rows of X and Y); s = n here (X square and invertible).</summary>
    public required int S { get; init; }

    /// <summary>n: columns of X, rows of W₁.</summary>
    public required int N { get; init; }

    /// <summary>m: columns of Y, rows of W₂.</summary>
    public required int M { get; init; }

    /// <summary>h: the width.</summary>
    public required int H { get; init; }

    /// <summary><c>orthogonal</c> (Haar) or <c>usv_1.8_2.3</c> (U·diag(σ)·V, σ uniform in [1.8, 2.3]).</summary>
    public required string XKind { get; init; }

    /// <summary>Standard deviation of W₁(0), W₂(0) entries.</summary>
    public required double InitStd { get; init; }

    /// <summary>σ² in Y = X·W₁(0)W₂(0)ᵀ + σ²·ε.</summary>
    public required double NoiseVariance { get; init; }

    /// <summary>X, row-major s×n.</summary>
    public required double[] X { get; init; }

    /// <summary>Y, row-major s×m.</summary>
    public required double[] Y { get; init; }

    /// <summary>W₁(0), row-major n×h.</summary>
    public required double[] W1 { get; init; }

    /// <summary>W₂(0), row-major m×h.</summary>
    public required double[] W2 { get; init; }

    /// <summary>W* = X⁻¹Y, row-major n×m.</summary>
    public required double[] WStar { get; init; }

    /// <summary>μ = σ²_min(X).</summary>
    public required double Mu { get; init; }

    /// <summary>K = σ²_max(X).</summary>
    public required double K { get; init; }

    /// <summary>L(0) = ½‖X·W₁(0)W₂(0)ᵀ − Y‖²_F.</summary>
    public required double InitialLoss { get; init; }

    /// <summary>Table 2.</summary>
    public required TwoLayerReferenceConstants Constants { get; init; }

    /// <summary>σ²_min(𝒯₀) by eq. 29.</summary>
    public required double SigmaMinTSquaredEq29 { get; init; }

    /// <summary>σ²_max(𝒯₀) by eq. 29.</summary>
    public required double SigmaMaxTSquaredEq29 { get; init; }

    /// <summary>σ²_min(𝒯₀) from the SVD of 𝒯₀ built as a ((n+m)h)×(nm) matrix.</summary>
    public required double SigmaMinTSquaredExplicit { get; init; }

    /// <summary>σ²_max(𝒯₀) from the explicit matrix.</summary>
    public required double SigmaMaxTSquaredExplicit { get; init; }

    /// <summary>η_max for several (c, d).</summary>
    public required IReadOnlyList<TwoLayerReferenceEtaMax> EtaMax { get; init; }

    /// <summary>The runs: <c>constant</c>, <c>eq19_rho</c>, <c>eq19_rho_bar</c> at η₀ = η_max, and <c>eq19_rho</c> at η₀ = 4η_max.</summary>
    public required IReadOnlyList<TwoLayerReferenceRun> Runs { get; init; }

    /// <summary>The run with this schedule and η₀/η_max.</summary>
    public TwoLayerReferenceRun Run(string schedule, double eta0OverEtaMax = 1.0)
        => Runs.FirstOrDefault(r => r.Schedule == schedule && r.Eta0OverEtaMax == eta0OverEtaMax)
           ?? throw new KeyNotFoundException($"No run '{schedule}' at η₀ = {eta0OverEtaMax}·η_max in case {Name}.");

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Table 2's constants as the reference computed them (D(0) as an explicit h×h matrix).</summary>
public sealed class TwoLayerReferenceConstants
{
    /// <summary>λ₊.</summary>
    public required double LambdaPlus { get; init; }

    /// <summary>λ₋.</summary>
    public required double LambdaMinus { get; init; }

    /// <summary>max(λ_n(D(0)), 0).</summary>
    public required double LambdaN { get; init; }

    /// <summary>max(λ_m(−D(0)), 0).</summary>
    public required double LambdaMNegative { get; init; }

    /// <summary>Δ₊.</summary>
    public required double DeltaPlus { get; init; }

    /// <summary>Δ₋.</summary>
    public required double DeltaMinus { get; init; }

    /// <summary>Δ̲.</summary>
    public required double DeltaUnder { get; init; }

    /// <summary>β₁.</summary>
    public required double Beta1 { get; init; }

    /// <summary>β₂.</summary>
    public required double Beta2 { get; init; }

    /// <summary>α₁.</summary>
    public required double Alpha1 { get; init; }

    /// <summary>α₂.</summary>
    public required double Alpha2 { get; init; }

    /// <summary>σ_min(W*).</summary>
    public required double SigmaMinWStar { get; init; }

    /// <summary>σ_max(W*).</summary>
    public required double SigmaMaxWStar { get; init; }

    /// <summary>‖W(0) − W*‖_F.</summary>
    public required double InitialDistance { get; init; }

    /// <summary>D(0)'s eigenvalues with |λ| &gt; 1e-12·max|λ|, descending.</summary>
    public required double[] D0NonzeroEigenvalues { get; init; }
}

/// <summary>η_max of Theorem E.1 for one (c, d), roots in 60-digit arithmetic rounded to double.</summary>
public sealed class TwoLayerReferenceEtaMax
{
    /// <summary>c.</summary>
    public required double C { get; init; }

    /// <summary>d.</summary>
    public required double D { get; init; }

    /// <summary>Root of (87).</summary>
    public required double Eta1 { get; init; }

    /// <summary>Smallest positive root of (88).</summary>
    public required double Eta2 { get; init; }

    /// <summary>[log(1 + α₁/2α₂)]^{1/c}.</summary>
    public required double Eta3 { get; init; }

    /// <summary>min of the three.</summary>
    public required double EtaMax { get; init; }

    /// <summary><c>eta1</c>, <c>eta2</c> or <c>eta3</c>.</summary>
    public required string Binding { get; init; }

    /// <summary>(87)'s residual at the double nearest its root (exact arithmetic).</summary>
    public required double Residual87 { get; init; }

    /// <summary>(88)'s relative residual at the double nearest its root (exact arithmetic).</summary>
    public required double Residual88 { get; init; }

    /// <summary>μ̄ at η₀ = η_max.</summary>
    public required double MuBar { get; init; }

    /// <summary>K̄₀ at η₀ = η_max.</summary>
    public required double KBar0 { get; init; }

    /// <summary>ρ̄(η_max, 0).</summary>
    public required double RhoBar0 { get; init; }

    /// <summary>Δ at η₀ = η_max.</summary>
    public required double Delta { get; init; }
}

/// <summary>
/// One 50-step gradient-descent run (7) on the case's data. Per-step arrays have Steps entries (t = 0 … 49), the
/// losses and bounds Steps + 1 (t = 0 … 50).
/// </summary>
public sealed class TwoLayerReferenceRun
{
    /// <summary><c>constant</c> (η_t = η₀), <c>eq19_rho</c> (η_t = min(cap_t, 1/K_t)) or <c>eq19_rho_bar</c> (min(cap_t, 1/K_t, 1/K̄_t)).</summary>
    public required string Schedule { get; init; }

    /// <summary>c of the η_max used.</summary>
    public required double C { get; init; }

    /// <summary>d of the η_max and of the cap.</summary>
    public required double D { get; init; }

    /// <summary>η₀.</summary>
    public required double Eta0 { get; init; }

    /// <summary>η₀/η_max: 1, or 4 for the run outside the theorem.</summary>
    public required double Eta0OverEtaMax { get; init; }

    /// <summary>Steps.</summary>
    public required int Steps { get; init; }

    /// <summary>L(t), t = 0 … Steps.</summary>
    public required double[] Loss { get; init; }

    /// <summary>η_t.</summary>
    public required double[] Eta { get; init; }

    /// <summary>μ_t = μ·σ²_min(𝒯_t) (11).</summary>
    public required double[] MuT { get; init; }

    /// <summary>K_t (12) at η_t.</summary>
    public required double[] KT { get; init; }

    /// <summary>1/K_t: the positive root of η·K_t(η) = 1.</summary>
    public required double[] InverseKT { get; init; }

    /// <summary>ρ(η_t, t) (10).</summary>
    public required double[] Rho { get; init; }

    /// <summary>ρ̄(η_t, t); null for the run with η₀ &gt; η_max.</summary>
    public double[]? RhoBar { get; init; }

    /// <summary>K̄_t; null for the run with η₀ &gt; η_max.</summary>
    public double[]? KBar { get; init; }

    /// <summary>(1 + η₀^d)^{t/2}·η₀.</summary>
    public required double[] Cap { get; init; }

    /// <summary>σ²_min(𝒯_t) by eq. 29.</summary>
    public required double[] SigmaMinTSquared { get; init; }

    /// <summary>σ²_max(𝒯_t) by eq. 29.</summary>
    public required double[] SigmaMaxTSquared { get; init; }

    /// <summary>σ²_min(𝒯_t) from the explicit matrix.</summary>
    public required double[] SigmaMinTSquaredExplicit { get; init; }

    /// <summary>σ²_max(𝒯_t) from the explicit matrix.</summary>
    public required double[] SigmaMaxTSquaredExplicit { get; init; }

    /// <summary>σ_max(W(t)), W(t) = W₁(t)W₂(t)ᵀ.</summary>
    public required double[] SigmaMaxW { get; init; }

    /// <summary>‖∇L(t)‖²_F = ‖∇_{W₁}L‖² + ‖∇_{W₂}L‖².</summary>
    public required double[] GradNormSquared { get; init; }

    /// <summary>Bound (17): L(0)·ρ̄(η₀, 0)^t; null for the run with η₀ &gt; η_max.</summary>
    public double[]? Bound17 { get; init; }

    /// <summary>Bound (20): L(0)·∏_{k&lt;t} h(η_k, k).</summary>
    public required double[] Bound20 { get; init; }

    /// <summary>h of bound (20): <c>rho</c> or <c>rho_bar</c>.</summary>
    public required string Bound20Factor { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Schedule} η₀ = {Eta0OverEtaMax}·η_max";
}
