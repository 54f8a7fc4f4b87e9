namespace DslOptim.Certificates;

/// <summary>One assumption of the dual-space preconditioning paper checked against the data and the constants.</summary>
/// <param name="Name">The assumption, e.g. <c>1.8 σ_n(XXᵀ) &gt; 0</c>.</param>
/// <param name="Holds">True or false when decided; null when a constant it needs is unknown (NaN).</param>
/// <param name="Detail">The values it was decided on, or what is missing.</param>
public sealed record AssumptionCheck(string Name, bool? Holds, string Detail)
{
    /// <summary>The check on one line: name, answer (yes / no / unknown) and detail.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Name}: {CertificateFormat.Answer(Holds)} ({Detail})";
}
