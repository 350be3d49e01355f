using Closer.Web.Features.Campaign.Content;

namespace Closer.Web.Features.Campaign;

public sealed partial class DemoCampaign
{
    private static string Vtt(params string[] cues)
    {
        var sb = new System.Text.StringBuilder("WEBVTT\n\n");
        for (var i = 0; i < cues.Length; i++)
        {
            var start = TimeSpan.FromSeconds(i * 4);
            var end = start + TimeSpan.FromSeconds(4);
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1}\n00:{start:mm\\:ss\\.fff} --> 00:{end:mm\\:ss\\.fff}\n{cues[i]}\n\n");
        }
        return sb.ToString();
    }

    private static (ContentKind, string?, Dictionary<string, Tx>, Action<ContentItem>?, string?) Contact(
        string country, string name, string org, string phone, string email, string languages, string en, string es, string pt, string pap) =>
        (ContentKind.MediaContact, country,
            L(new(en, ""), new(es, ""), new(pt, ""), new(pap, "")),
            i => { i.ContactName = name; i.ContactOrganisation = org; i.ContactPhone = phone; i.ContactEmail = email; i.ContactLanguages = languages; }, null);

    private static IEnumerable<(ContentKind, string?, Dictionary<string, Tx>, Action<ContentItem>?, string?)> PressAndVideos()
    {
        yield return (ContentKind.PressRelease, null, L(
            new("One step closer: the campaign opens in 25 countries and four languages", "Testimonies, figures and a video spot in English, Spanish, Portuguese and Papiamentu, to counter xenophobia with facts.",
                "The regional platform of partner organisations today opens the *One step closer* campaign in 25 countries.\n\nThe campaign publishes testimonies of refugees, migrants and host communities, myth-and-fact cards with sourced figures, and a video spot subtitled in four languages. Readers can take a pledge and see how many people in their country have done the same.\n\nJournalists find the briefing kit, with key messages, a fact sheet and media contacts, in the press room."),
            new("Acortemos distancias: la campaña abre en 25 países y cuatro idiomas", "Testimonios, cifras y un spot en inglés, español, portugués y papiamento, para contrarrestar la xenofobia con datos.",
                "La plataforma regional de organizaciones socias abre hoy la campaña *Acortemos distancias* en 25 países.\n\nLa campaña publica testimonios de personas refugiadas, migrantes y de comunidades de acogida, tarjetas de mitos y datos con cifras y fuentes, y un spot subtitulado en cuatro idiomas. Quien lee puede sumarse al compromiso y ver cuántas personas de su país ya lo hicieron.\n\nLa prensa encuentra el kit informativo, con mensajes clave, hoja de datos y contactos, en la sala de prensa."),
            new("Reduzindo a distância: a campanha abre em 25 países e quatro línguas", "Depoimentos, números e um vídeo em inglês, espanhol, português e papiamento, para combater a xenofobia com fatos.",
                "A plataforma regional de organizações parceiras abre hoje a campanha *Reduzindo a distância* em 25 países.\n\nA campanha publica depoimentos de pessoas refugiadas, migrantes e de comunidades de acolhida, cartões de mitos e fatos com números e fontes, e um vídeo legendado em quatro línguas. Quem lê pode assumir o compromisso e ver quantas pessoas do seu país já o fizeram.\n\nJornalistas encontram o kit de imprensa, com mensagens-chave, ficha de dados e contatos, na sala de imprensa."),
            new("Un paso mas serka: e kampaña ta habri den 25 pais i kuater idioma", "Testimonio, sifra i un spot na ingles, spañó, portugues i papiamentu, pa kombati xenofobia ku datos.",
                "E plataforma regional di organisashon sosio ta habri awe e kampaña *Un paso mas serka* den 25 pais.\n\nE kampaña ta publiká testimonio di refugiado, migrante i komunidat di akohida, karchi di mito i fakto ku sifra i fuente, i un spot ku subtítulo den kuater idioma. Lektornan por hasi e kompromiso i mira kuantu hende di nan pais a hasi esaki kaba.\n\nPeriodistanan ta haña e kit informativo, ku mensahe prinsipal, un fuy di dato i kontakto, den e sala di prensa.")), null, null);

        yield return (ContentKind.PressRelease, null, L(
            new("New figures: 7.7 million refugees and migrants from Venezuela", "The regional platform publishes its July 2024 figures; Colombia, Peru and Brazil host the most people.",
                "According to figures on Venezuelan migration published in July 2024, 7,774,494 refugees and migrants from Venezuela live outside the country. Colombia hosts about 2.86 million, Peru about 1.54 million and Brazil about 568,100.\n\nThe campaign updates its fact cards with these figures, each with its source and date."),
            new("Nuevas cifras: 7,7 millones de personas refugiadas y migrantes de Venezuela", "La plataforma regional publica sus cifras de julio de 2024; Colombia, Perú y Brasil acogen a más personas.",
                "Según las cifras sobre la migración venezolana publicadas en julio de 2024, 7.774.494 personas refugiadas y migrantes de Venezuela viven fuera del país. Colombia acoge a unos 2,86 millones, Perú a unos 1,54 millones y Brasil a unas 568.100.\n\nLa campaña actualiza sus tarjetas de datos con estas cifras, cada una con su fuente y fecha."),
            new("Novos números: 7,7 milhões de pessoas refugiadas e migrantes da Venezuela", "A plataforma regional publica seus números de julho de 2024; Colômbia, Peru e Brasil acolhem mais pessoas.",
                "Segundo os números sobre a migração venezuelana publicados em julho de 2024, 7.774.494 pessoas refugiadas e migrantes da Venezuela vivem fora do país. A Colômbia acolhe cerca de 2,86 milhões, o Peru cerca de 1,54 milhão e o Brasil cerca de 568.100.\n\nA campanha atualiza seus cartões de fatos com esses números, cada um com fonte e data."),
            null), null, null);

        yield return Contact("COL", "Laura Méndez (demo)", "Fundación Puentes (demo)", "+57 601 555 0142", "prensa.col@example.org", "es,en",
            "Press officer, Colombia", "Oficial de prensa, Colombia", "Assessora de imprensa, Colômbia", "Ofisial di prensa, Colombia");
        yield return Contact("BRA", "Rafael Souza (demo)", "Rede Acolhida (demo)", "+55 92 5550 0188", "imprensa.bra@example.org", "pt,es,en",
            "Press officer, Brazil", "Oficial de prensa, Brasil", "Assessor de imprensa, Brasil", "Ofisial di prensa, Brazil");
        yield return Contact("CUW", "Shanaira Martina (demo)", "Kas di Bisiña (demo)", "+599 9 555 0117", "pers.cuw@example.org", "pap,es,en",
            "Press officer, Curaçao", "Oficial de prensa, Curazao", "Assessora de imprensa, Curaçao", "Ofisial di prensa, Kòrsou");
        // Every other country of the plan: invented people, organisations, 555 numbers and example.org addresses.
        yield return Contact("ARG", "Sofía Benítez (demo)", "Red Encuentro (demo)", "+54 11 5550 0131", "prensa.arg@example.org", "es,en",
            "Press officer, Argentina", "Oficial de prensa, Argentina", "Assessoria de imprensa, Argentina", "Ofisial di prensa, Argentina");
        yield return Contact("ABW", "Dianne Croes (demo)", "Fundacion Brug (demo)", "+297 555 0121", "prensa.abw@example.org", "pap,es,en",
            "Press officer, Aruba", "Oficial de prensa, Aruba", "Assessoria de imprensa, Aruba", "Ofisial di prensa, Aruba");
        yield return Contact("BOL", "Marco Quispe (demo)", "Casa Andina (demo)", "+591 2 555 0163", "prensa.bol@example.org", "es",
            "Press officer, Bolivia", "Oficial de prensa, Bolivia", "Assessoria de imprensa, Bolívia", "Ofisial di prensa, Bolivia");
        yield return Contact("CHL", "Camila Rojas (demo)", "Vecinos Unidos (demo)", "+56 2 2555 0175", "prensa.chl@example.org", "es,en",
            "Press officer, Chile", "Oficial de prensa, Chile", "Assessoria de imprensa, Chile", "Ofisial di prensa, Chile");
        yield return Contact("CRI", "Andrés Mora (demo)", "Puente Tico (demo)", "+506 5555 0139", "prensa.cri@example.org", "es,en",
            "Press officer, Costa Rica", "Oficial de prensa, Costa Rica", "Assessoria de imprensa, Costa Rica", "Ofisial di prensa, Costa Rica");
        yield return Contact("DOM", "Yesenia Peña (demo)", "Manos Abiertas (demo)", "+1 809 555 0194", "prensa.dom@example.org", "es,en",
            "Press officer, Dominican Republic", "Oficial de prensa, República Dominicana", "Assessoria de imprensa, República Dominicana", "Ofisial di prensa, Repúblika Dominikana");
        yield return Contact("ECU", "Pablo Andrade (demo)", "Mitad del Camino (demo)", "+593 2 555 0158", "prensa.ecu@example.org", "es,en",
            "Press officer, Ecuador", "Oficial de prensa, Ecuador", "Assessoria de imprensa, Equador", "Ofisial di prensa, Ecuador");
        yield return Contact("GUY", "Aaliyah Singh (demo)", "Riverside Welcome (demo)", "+592 555 0146", "prensa.guy@example.org", "en,es",
            "Press officer, Guyana", "Oficial de prensa, Guyana", "Assessoria de imprensa, Guiana", "Ofisial di prensa, Guyana");
        yield return Contact("MEX", "Diego Hernández (demo)", "Frontera Amiga (demo)", "+52 55 5550 0187", "prensa.mex@example.org", "es,en",
            "Press officer, Mexico", "Oficial de prensa, México", "Assessoria de imprensa, México", "Ofisial di prensa, Mèxiko");
        yield return Contact("PAN", "Itzel Batista (demo)", "Istmo Solidario (demo)", "+507 555 0112", "prensa.pan@example.org", "es,en",
            "Press officer, Panama", "Oficial de prensa, Panamá", "Assessoria de imprensa, Panamá", "Ofisial di prensa, Panamá");
        yield return Contact("PRY", "Lorena Giménez (demo)", "Tekoporã (demo)", "+595 21 555 0129", "prensa.pry@example.org", "es,pt",
            "Press officer, Paraguay", "Oficial de prensa, Paraguay", "Assessoria de imprensa, Paraguai", "Ofisial di prensa, Paraguay");
        yield return Contact("PER", "Jorge Huamán (demo)", "Lima Acoge (demo)", "+51 1 555 0176", "prensa.per@example.org", "es,en",
            "Press officer, Peru", "Oficial de prensa, Perú", "Assessoria de imprensa, Peru", "Ofisial di prensa, Perú");
        yield return Contact("TTO", "Keisha Charles (demo)", "Island Bridges (demo)", "+1 868 555 0153", "prensa.tto@example.org", "en,es",
            "Press officer, Trinidad and Tobago", "Oficial de prensa, Trinidad y Tobago", "Assessoria de imprensa, Trinidad e Tobago", "Ofisial di prensa, Trinidad i Tobago");
        yield return Contact("URY", "Martín Pereira (demo)", "Orilla Común (demo)", "+598 2 555 0168", "prensa.ury@example.org", "es,pt",
            "Press officer, Uruguay", "Oficial de prensa, Uruguay", "Assessoria de imprensa, Uruguai", "Ofisial di prensa, Uruguay");

        yield return (ContentKind.Video, null, L(
            new("The campaign spot: one step closer", "Thirty seconds, four languages, one message: we are neighbours.", Vtt: Vtt("We come from different places.", "We share the same streets.", "Take one step closer.")),
            new("El spot de la campaña: acortemos distancias", "Treinta segundos, cuatro idiomas, un mensaje: somos vecinos.", Vtt: Vtt("Venimos de lugares distintos.", "Compartimos las mismas calles.", "Acortemos distancias.")),
            new("O vídeo da campanha: reduzindo a distância", "Trinta segundos, quatro línguas, uma mensagem: somos vizinhos.", Vtt: Vtt("Viemos de lugares diferentes.", "Dividimos as mesmas ruas.", "Vamos reduzir a distância.")),
            new("E spot di e kampaña: un paso mas serka", "Trinta sekònde, kuater idioma, un mensahe: nos ta bisiña.", Vtt: Vtt("Nos ta bini di diferente lugá.", "Nos ta kompartí e mesun kayanan.", "Duna un paso mas serka."))),
            i => i.VideoFile = "demo-spot", null);

        yield return (ContentKind.Video, "COL", L(
            new("Neighbours in Cúcuta", "Ana and her neighbours tell how a bakery became a meeting point.", Vtt: Vtt("This is my bakery.", "My neighbour lent me her oven.", "Now we bake together.")),
            new("Vecinos en Cúcuta", "Ana y sus vecinos cuentan cómo una panadería se volvió punto de encuentro.", Vtt: Vtt("Esta es mi panadería.", "Mi vecina me prestó su horno.", "Ahora horneamos juntas.")),
            new("Vizinhos em Cúcuta", "Ana e seus vizinhos contam como uma padaria virou ponto de encontro.", Vtt: Vtt("Esta é a minha padaria.", "Minha vizinha me emprestou o forno.", "Agora assamos juntas.")),
            new("Bisiña na Cúcuta", "Ana i su bisiñanan ta konta kon un panaderia a bira un punto di enkuentro.", Vtt: Vtt("Esaki ta mi panaderia.", "Mi bisiña a fia mi su forno.", "Awor nos ta hòrna huntu."))),
            i => i.VideoFile = "demo-cucuta", null);
    }
}
