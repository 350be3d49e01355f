using Closer.Web.Infrastructure.Data;

namespace Closer.Web.Features.Organisations;

/// <summary>
/// Fictional partner organisations for the demo site. The names are invented (any likeness is
/// accidental) and every one is flagged <see cref="Organisation.IsDemo"/>.
/// </summary>
internal sealed class DemoOrganisations(TimeProvider time) : IDemoSeeder
{
    public int Order => 10;

    internal static readonly (string Acronym, string Name, OrganisationType Type)[] All =
    [
        ("AREF", "Agencia Regional para Refugiados (demo)", OrganisationType.UnAgency),
        ("OIMR", "Organización Interamericana de Movilidad (demo)", OrganisationType.UnAgency),
        ("FINF", "Fondo para la Infancia de las Américas (demo)", OrganisationType.UnAgency),
        ("PAL", "Programa Alimentario Latinoamericano (demo)", OrganisationType.UnAgency),
        ("OSAL", "Oficina de Salud de las Américas (demo)", OrganisationType.UnAgency),
        ("CAMINO", "Camino Seguro International (demo)", OrganisationType.InternationalNgo),
        ("REFH", "Refugee Help Network (demo)", OrganisationType.InternationalNgo),
        ("NINEZ", "Niñez Primero Internacional (demo)", OrganisationType.InternationalNgo),
        ("AGUA", "Agua y Vida Sin Fronteras (demo)", OrganisationType.InternationalNgo),
        ("TECHO", "Techo Digno Internacional (demo)", OrganisationType.InternationalNgo),
        ("EDUC", "Educación en Movimiento (demo)", OrganisationType.InternationalNgo),
        ("CASH", "Cash for Dignity (demo)", OrganisationType.InternationalNgo),
        ("PROT", "Protección Integral Global (demo)", OrganisationType.InternationalNgo),
        ("FPUENTE", "Fundación Puentes (demo)", OrganisationType.NationalNgo),
        ("ACOGIDA", "Asociación Acogida Andina (demo)", OrganisationType.NationalNgo),
        ("MANOS", "Manos Unidas por el Sur (demo)", OrganisationType.NationalNgo),
        ("CAMPO", "Corporación Campo Abierto (demo)", OrganisationType.NationalNgo),
        ("ABRIGO", "Instituto Abrigo Brasil (demo)", OrganisationType.NationalNgo),
        ("LAZOS", "Fundación Lazos del Pacífico (demo)", OrganisationType.NationalNgo),
        ("SERENA", "Asociación Serena (demo)", OrganisationType.NationalNgo),
        ("ISTMO", "Red Istmo Solidario (demo)", OrganisationType.NationalNgo),
        ("KARIBE", "Fundashon Karibe Uní (demo)", OrganisationType.NationalNgo),
        ("CRCOL", "Cruz Roja Colombiana — filial demo", OrganisationType.RedCross),
        ("CRPER", "Cruz Roja Peruana — filial demo", OrganisationType.RedCross),
        ("CVBRA", "Cruz Vermelha — filial demo", OrganisationType.RedCross),
        ("PASTOR", "Pastoral de Movilidad Humana (demo)", OrganisationType.FaithBased),
        ("SJMIG", "Servicio Jesuita de Acompañamiento (demo)", OrganisationType.FaithBased),
        ("ADVEN", "Ayuda Adventista Regional (demo)", OrganisationType.FaithBased),
        ("UNIMIG", "Observatorio Universitario de Migraciones (demo)", OrganisationType.Academia),
        ("VENUNI", "Venezolanos Unidos en Perú (demo)", OrganisationType.RefugeeMigrantLed),
        ("JUNTOS", "Juntos Somos Más — colectivo migrante (demo)", OrganisationType.RefugeeMigrantLed),
        ("MUJERES", "Red de Mujeres Migrantes (demo)", OrganisationType.RefugeeMigrantLed),
    ];

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.Organisations.AddRange(All.Select(o => new Organisation
        {
            Acronym = o.Acronym, Name = o.Name, Type = o.Type, IsDemo = true, CreatedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
    }
}
