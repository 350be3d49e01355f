using Closer.Web.Features.Campaign.Content;

namespace Closer.Web.Features.Campaign;

public sealed partial class DemoCampaign
{
    private static (ContentKind, string?, Dictionary<string, Tx>, Action<ContentItem>?, string?) Fact(
        long figure, string source, string date, Tx en, Tx es, Tx pt, Tx pap, string? country = null) =>
        (ContentKind.Fact, country, L(en, es, pt, pap), i => { i.Figure = figure; i.FigureSource = source; i.FigureDate = date; }, null);

    /// <summary>Eight fact cards; every figure from shared/data with its source and date.</summary>
    private static IEnumerable<(ContentKind, string?, Dictionary<string, Tx>, Action<ContentItem>?, string?)> Facts()
    {
        yield return Fact(5_200_000, "R4V regional platform", "2020-08",
            new("\"Only a few people have left Venezuela.\"", "In August 2020, 5.2 million refugees and migrants from Venezuela lived abroad, about 80 % of them in Latin America and the Caribbean."),
            new("\"Solo unas pocas personas han salido de Venezuela\".", "En agosto de 2020, 5,2 millones de personas refugiadas y migrantes de Venezuela vivían fuera del país, cerca del 80 % en América Latina y el Caribe."),
            new("\"Só algumas pessoas saíram da Venezuela.\"", "Em agosto de 2020, 5,2 milhões de pessoas refugiadas e migrantes da Venezuela viviam fora do país, cerca de 80 % na América Latina e no Caribe."),
            new("\"Solamente tiki hende a sali for di Venezuela.\"", "Na ougùstùs 2020, 5,2 mion refugiado i migrante di Venezuela tabata biba pafó di e pais, mas o ménos 80 % di nan na Amérika Latino i Karibe."));
        yield return Fact(4_992_664, "R4V via La República, 25 Nov 2021", "2021-11",
            new("\"They all go to rich countries far away.\"", "In November 2021, 4,992,664 of the 6,038,937 refugees and migrants from Venezuela lived in Latin America and the Caribbean."),
            new("\"Todos se van a países ricos y lejanos\".", "En noviembre de 2021, 4.992.664 de las 6.038.937 personas refugiadas y migrantes de Venezuela vivían en América Latina y el Caribe."),
            new("\"Todos vão para países ricos e distantes.\"", "Em novembro de 2021, 4.992.664 das 6.038.937 pessoas refugiadas e migrantes da Venezuela viviam na América Latina e no Caribe."),
            new("\"Nan tur ta bai pa paisnan riku i leu.\"", "Na novèmber 2021, 4.992.664 di e 6.038.937 refugiado i migrante di Venezuela tabata biba na Amérika Latino i Karibe."));
        yield return Fact(7_774_494, "R4V via dnoticias.pt", "2024-07",
            new("\"The movement is over; people have gone back.\"", "In July 2024 there were 7,774,494 refugees and migrants from Venezuela worldwide, more than ever before."),
            new("\"El movimiento terminó; la gente ya regresó\".", "En julio de 2024 había 7.774.494 personas refugiadas y migrantes de Venezuela en el mundo, más que nunca antes."),
            new("\"O movimento acabou; as pessoas já voltaram.\"", "Em julho de 2024 havia 7.774.494 pessoas refugiadas e migrantes da Venezuela no mundo, mais do que nunca."),
            new("\"E movementu a kaba; hende a bolbe kaba.\"", "Na yüli 2024 tabatin 7.774.494 refugiado i migrante di Venezuela rònt mundu, mas ku nunka promé."));
        yield return Fact(2_860_000, "R4V via dnoticias.pt (rounded)", "2024-07",
            new("\"Colombia receives only a handful of people.\"", "Colombia hosts about 2.86 million refugees and migrants from Venezuela (July 2024), more than any other country.", ""),
            new("\"Colombia recibe apenas un puñado de personas\".", "Colombia acoge a unos 2,86 millones de personas refugiadas y migrantes de Venezuela (julio de 2024), más que ningún otro país."),
            new("\"A Colômbia recebe só um punhado de pessoas.\"", "A Colômbia acolhe cerca de 2,86 milhões de pessoas refugiadas e migrantes da Venezuela (julho de 2024), mais do que qualquer outro país."),
            new("\"Colombia ta risibí djis un puñá di hende.\"", "Colombia ta akohé mas o ménos 2,86 mion refugiado i migrante di Venezuela (yüli 2024), mas ku kualke otro pais."), "COL");
        yield return Fact(1_540_000, "R4V via dnoticias.pt (rounded)", "2024-07",
            new("\"Peru is only a country of transit.\"", "About 1.54 million refugees and migrants from Venezuela live in Peru (July 2024): for many it is home now."),
            new("\"Perú es solo un país de tránsito\".", "Cerca de 1,54 millones de personas refugiadas y migrantes de Venezuela viven en Perú (julio de 2024): para muchas ya es su hogar."),
            new("\"O Peru é só um país de trânsito.\"", "Cerca de 1,54 milhão de pessoas refugiadas e migrantes da Venezuela vivem no Peru (julho de 2024): para muitas, já é o seu lar."),
            new("\"Perú ta djis un pais di tránsito.\"", "Mas o ménos 1,54 mion refugiado i migrante di Venezuela ta biba na Perú (yüli 2024): pa hopi di nan e ta nan kas awor."), "PER");
        yield return Fact(568_100, "R4V via dnoticias.pt (rounded)", "2024-07",
            new("\"Brazil is too far away to matter.\"", "Brazil hosts about 568,100 refugees and migrants from Venezuela (July 2024)."),
            new("\"Brasil está demasiado lejos para contar\".", "Brasil acoge a unas 568.100 personas refugiadas y migrantes de Venezuela (julio de 2024)."),
            new("\"O Brasil está longe demais para contar.\"", "O Brasil acolhe cerca de 568.100 pessoas refugiadas e migrantes da Venezuela (julho de 2024)."),
            new("\"Brazil ta mashá leu pa konta.\"", "Brazil ta akohé mas o ménos 568.100 refugiado i migrante di Venezuela (yüli 2024)."), "BRA");
        yield return Fact(137, "Regional Refugee and Migrant Response Plan 2020", "2020",
            new("\"Nobody is coordinating the response.\"", "The 2020 regional plan brought together 137 partner organisations in 17 countries, with requirements of about USD 1.35 billion."),
            new("\"Nadie coordina la respuesta\".", "El plan regional de 2020 reunió a 137 organizaciones socias en 17 países, con requerimientos de unos 1.350 millones de dólares."),
            new("\"Ninguém coordena a resposta.\"", "O plano regional de 2020 reuniu 137 organizações parceiras em 17 países, com necessidades de cerca de 1,35 bilhão de dólares."),
            new("\"Ningun hende ta kordiná e respuesta.\"", "E plan regional di 2020 a reuní 137 organisashon sosio den 17 pais, ku nesesidat di mas o ménos 1.350 mion dòler."));
        yield return Fact(47, "Regional Refugee and Migrant Response Plan 2023–2024", "2023",
            new("\"Refugees and migrants only receive help.\"", "In 2023–2024, 47 of the 228 partner organisations of the regional plan were led by refugees and migrants themselves."),
            new("\"Las personas refugiadas y migrantes solo reciben ayuda\".", "En 2023–2024, 47 de las 228 organizaciones socias del plan regional estaban dirigidas por personas refugiadas y migrantes."),
            new("\"Pessoas refugiadas e migrantes só recebem ajuda.\"", "Em 2023–2024, 47 das 228 organizações parceiras do plano regional eram lideradas por pessoas refugiadas e migrantes."),
            new("\"Refugiado i migrante ta risibí yudansa so.\"", "Na 2023–2024, 47 di e 228 organisashon sosio di e plan regional tabata dirigí pa refugiado i migrante mes."));
    }
}
