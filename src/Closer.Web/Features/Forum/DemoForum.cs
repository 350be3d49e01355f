using Closer.Web.Infrastructure.Data;

namespace Closer.Web.Features.Forum;

/// <summary>
/// Demo forum: spaces per country, per sector and two consultations, with threads and replies in
/// English, Spanish, Portuguese and Papiamentu. Written for the demo; people and organisations are
/// fictional and every row is marked <c>IsDemo</c>. Figures quote their source and date.
/// </summary>
internal sealed class DemoForum(TimeProvider time) : IDemoSeeder
{
    public int Order => 60;

    private sealed record P(string Author, string Lang, string Body, int HoursAgo);

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        var colombia = Space(SpaceKind.Country, "Colombia: integración en las ciudades (demo)",
            "Espacio abierto para hablar de integración local, empleo y convivencia en las ciudades colombianas.", "es", SpaceVisibility.Public, now, country: "COL");
        var brazil = Space(SpaceKind.Country, "Brasil: interiorização e trabalho (demo)",
            "Conversas sobre interiorização voluntária, acesso ao trabalho formal e serviços públicos no Brasil.", "pt", SpaceVisibility.Public, now, country: "BRA");
        var curacao = Space(SpaceKind.Country, "Kòrsou: komunidat i integrashon (demo)",
            "Un lugá pa kompartí eksperensia i ideanan tokante integrashon na Kòrsou.", "pap", SpaceVisibility.Public, now, country: "CUW");
        var protection = Space(SpaceKind.Sector, "Protection sector: partner coordination (demo)",
            "For staff of partner organisations: referral pathways, case management and gaps in coverage.", "en", SpaceVisibility.Partners, now, sector: "Protection");
        var health = Space(SpaceKind.Sector, "Health: access to services (demo)",
            "Public discussion about access to primary care, vaccination and mental health support.", "en", SpaceVisibility.Public, now, sector: "Health");
        var consultation = Space(SpaceKind.Consultation, "Consulta: ¿qué necesita tu barrio? (demo)",
            "Consulta abierta a personas refugiadas, migrantes y comunidades de acogida. Sus aportes alimentan la planificación del próximo año.",
            "es", SpaceVisibility.Public, now);
        consultation.OpensAt = now.AddDays(-10);
        consultation.ClosesAt = now.AddDays(20);
        var closed = Space(SpaceKind.Consultation, "Consultation: words that hurt, words that help (demo)",
            "A closed consultation on xenophobic language in local media and what helps counter it.", "en", SpaceVisibility.Public, now);
        closed.OpensAt = now.AddDays(-60);
        closed.ClosesAt = now.AddDays(-30);
        closed.Summary = "**Summary by the moderation team (demo).**\n\n"
            + "- Participants asked media to name people by their situation, not as a threat or a number.\n"
            + "- Host-community members said shared activities (sport, school events) changed their views more than campaigns.\n"
            + "- Several people asked for facts in plain language, with the source and the date, to answer rumours.\n\n"
            + "These points go to the campaign team for the next round of *One Step Closer* materials.";
        closed.SummaryLanguage = "en";
        closed.SummaryAt = closed.ClosesAt;
        db.ForumSpaces.AddRange(colombia, brazil, curacao, protection, health, consultation, closed);
        await db.SaveChangesAsync(cancellationToken);

        Thread(db, colombia, "¿Cómo convalidar un título profesional? (demo)", now,
            new P("Mariela (demo)", "es", "Soy enfermera y llegué a Bogotá hace un año. ¿Alguien sabe qué pasos seguir para convalidar el título? Me dicen cosas distintas en cada oficina.", 70),
            new P("Fundación Puentes (demo)", "es", "Hola Mariela. El trámite de convalidación es ante el Ministerio de Educación. En nuestra sede damos orientación gratuita los martes; trae copia del título y del documento de identidad (**no publiques números de documento aquí**).", 66),
            new P("Jorge (demo)", "es", "Yo lo hice el año pasado: tardó unos meses, pero valió la pena. Ahora trabajo en una clínica.", 40));
        Thread(db, colombia, "Colombia hosts the largest number of refugees and migrants from Venezuela (demo)", now,
            new P("Regional platform team (demo)", "en", "According to the regional platform, Colombia hosted **1,842,390** refugees and migrants from Venezuela in November 2021 (R4V, published 2021-11-25), and about 2.86 million in July 2024 (R4V, rounded). What does integration look like in your city?", 120),
            new P("Camila (demo)", "es", "En Barranquilla se nota en las escuelas: hay cursos con muchos niños venezolanos y los profes necesitan apoyo.", 100));
        Thread(db, brazil, "Interiorização: experiências de quem se mudou (demo)", now,
            new P("Instituto Abrigo Brasil (demo)", "pt", "Quem participou da interiorização voluntária: como foi chegar a uma cidade nova? O que ajudou e o que faltou?", 90),
            new P("Luis (demo)", "pt", "Fui de Boa Vista para Curitiba com minha família. O mais difícil foi encontrar creche para a minha filha, mas a escola nos acolheu muito bem.", 80),
            new P("Ana (demo)", "es", "Yo escribo en español, espero que esté bien: en Porto Alegre conseguí trabajo formal gracias a un curso de portugués gratuito.", 30));
        Thread(db, curacao, "Kursonan di papiamentu pa recién yegá (demo)", now,
            new P("Fundashon Karibe Uní (demo)", "pap", "Nos ta organisá kursonan grátis di papiamentu pa hende ku a yega resientemente na Kòrsou. Ken ta interesá? Skirbi akí kiko ta e mihó orario pa bo.", 50),
            new P("Yorman (demo)", "es", "Me interesa mucho. Trabajo de día, así que en la noche sería mejor para mí.", 45),
            new P("Shirley (demo)", "pap", "Mi ta boluntario i por yuda ku e kursonan di atardi. Ta bon pa wòrdu mas serka otro!", 20));
        Thread(db, protection, "Referral pathway for unaccompanied children at border points (demo)", now,
            new P("Protección Integral Global (demo)", "en", "We are updating the referral pathway for unaccompanied and separated children at two border points. Which partners currently run child-friendly spaces there, and on which days?", 30),
            new P("Niñez Primero Internacional (demo)", "es", "Tenemos un espacio amigable de lunes a viernes en el punto norte. Podemos compartir el formato de remisión por el canal del sector.", 26));
        Thread(db, health, "Mental health support in Portuguese and Spanish (demo)", now,
            new P("Oficina de Salud de las Américas (demo)", "en", "Which services offer psychosocial support in both Spanish and Portuguese? Please share general information only — never a person's details.", 60),
            new P("Cruz Vermelha — filial demo (demo)", "pt", "Temos atendimento psicossocial em espanhol e português às quartas-feiras, com agendamento no posto de saúde.", 55));
        Thread(db, consultation, "Más luz en el parque y actividades para jóvenes (demo)", now,
            new P("Rosa (demo)", "es", "En mi barrio el parque está oscuro de noche. Con mejor iluminación y actividades deportivas, venezolanos y colombianos nos conoceríamos más.", 48),
            new P("Peter (demo)", "en", "Same in our area. A weekend football league run by neighbours from both communities worked very well last year.", 24),
            new P("Mirian (demo)", "pap", "Na Kòrsou tambe: aktividatnan di deporte ta uni hende. Mi ta apoyá e idea.", 12));
        Thread(db, closed, "Headlines that label people as a threat (demo)", now,
            new P("Daniel (demo)", "en", "Local headlines often mention nationality only when there is a crime. It shapes what neighbours think.", 24 * 50),
            new P("Lucía (demo)", "es", "Propongo una guía breve para periodistas, con ejemplos de titulares mejores.", 24 * 45),
            new P("Marcos (demo)", "pt", "Concordo. E que as matérias tragam dados com fonte e data.", 24 * 40));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static ForumSpace Space(SpaceKind kind, string title, string description, string lang, SpaceVisibility visibility, DateTimeOffset now,
        string? country = null, string? sector = null) => new()
        {
            Kind = kind, Title = title, Description = description, Language = lang, Visibility = visibility, CountryIso3 = country,
            Sector = sector, IsDemo = true, CreatedAt = now,
        };

    private static void Thread(CloserDbContext db, ForumSpace space, string title, DateTimeOffset now, params P[] posts)
    {
        var thread = new ForumThread
        {
            SpaceId = space.Id, Title = title, Language = posts[0].Lang, AuthorName = posts[0].Author, IsDemo = true,
            CreatedAt = now.AddHours(-posts[0].HoursAgo), LastActivityAt = now.AddHours(-posts[^1].HoursAgo),
        };
        thread.Posts.AddRange(posts.Select((p, i) => new ForumPost
        {
            IsOpening = i == 0, AuthorName = p.Author, Body = p.Body, Language = p.Lang, Status = PostStatus.Published,
            IsDemo = true, CreatedAt = now.AddHours(-p.HoursAgo),
        }));
        db.ForumThreads.Add(thread);
    }
}
