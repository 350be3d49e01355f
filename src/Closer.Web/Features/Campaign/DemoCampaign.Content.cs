using Closer.Web.Features.Campaign.Content;

namespace Closer.Web.Features.Campaign;

public sealed partial class DemoCampaign
{
    private static Dictionary<string, Tx> L(Tx en, Tx es, Tx pt, Tx? pap) =>
        pap is null
            ? new(StringComparer.Ordinal) { ["en"] = en, ["es"] = es, ["pt"] = pt }
            : new(StringComparer.Ordinal) { ["en"] = en, ["es"] = es, ["pt"] = pt, ["pap"] = pap };

    private static IEnumerable<(ContentKind, string?, Dictionary<string, Tx>, Action<ContentItem>?, string?)> Content()
    {
        // Key messages (a page, also the first file of the briefing kit).
        yield return (ContentKind.Page, null, L(
            new("Key messages", "What the campaign says, in five lines.",
                "- Refugees and migrants are our neighbours, colleagues and friends.\n- Most people who left Venezuela live in Latin America and the Caribbean, not far away.\n- Integration works when host communities and newcomers meet.\n- Figures, not rumours: every fact we quote has a source and a date.\n- Each of us can take one step closer."),
            new("Mensajes clave", "Lo que dice la campaña, en cinco líneas.",
                "- Las personas refugiadas y migrantes son nuestras vecinas, colegas y amigas.\n- La mayoría de quienes salieron de Venezuela vive en América Latina y el Caribe, no lejos.\n- La integración funciona cuando las comunidades de acogida y quienes llegan se encuentran.\n- Cifras, no rumores: cada dato que citamos tiene fuente y fecha.\n- Cada una y cada uno puede acortar distancias."),
            new("Mensagens-chave", "O que a campanha diz, em cinco linhas.",
                "- Pessoas refugiadas e migrantes são nossas vizinhas, colegas e amigas.\n- A maioria de quem saiu da Venezuela vive na América Latina e no Caribe, não longe.\n- A integração funciona quando comunidades de acolhida e recém-chegados se encontram.\n- Números, não boatos: cada dado que citamos tem fonte e data.\n- Cada um de nós pode reduzir a distância."),
            new("Mensahenan prinsipal", "Loke e kampaña ta bisa, den sinku liña.",
                "- Refugiado i migrante ta nos bisiñanan, kolega i amigunan.\n- Mayoria di e hendenan ku a sali for di Venezuela ta biba na Amérika Latino i Karibe, no leu.\n- Integrashon ta funshoná ora komunidat di akohida i esnan ku ta yega ta topa otro.\n- Sifra, no rumor: tur dato ku nos ta kita tin su fuente i fecha.\n- Kada un di nos por duna un paso mas serka.")), null, "key-messages");

        // Stories: six countries; the Chilean one has no Papiamentu version (fallback demo).
        yield return (ContentKind.Story, "COL", L(
            new("Ana's bakery in Cúcuta", "Ana arrived with two suitcases. Today her bakery employs four neighbours, two of them Colombian.",
                "Ana crossed the bridge into Cúcuta in 2018 with her two daughters and a recipe book from her mother.\n\nShe started selling *cachitos* from a cool box on the corner. A Colombian neighbour lent her an oven. Five years later the bakery has a sign, four employees and a queue every morning.\n\n\"People ask me where I am from,\" Ana says. \"I tell them: from this street.\"",
                "Ana, smiling, holds a tray of bread in her bakery."),
            new("La panadería de Ana en Cúcuta", "Ana llegó con dos maletas. Hoy su panadería da trabajo a cuatro vecinos, dos de ellos colombianos.",
                "Ana cruzó el puente hacia Cúcuta en 2018 con sus dos hijas y el recetario de su madre.\n\nEmpezó vendiendo cachitos desde una nevera portátil en la esquina. Una vecina colombiana le prestó un horno. Cinco años después, la panadería tiene letrero, cuatro empleados y fila cada mañana.\n\n\"La gente me pregunta de dónde soy\", dice Ana. \"Les digo: de esta calle\".",
                "Ana, sonriente, sostiene una bandeja de pan en su panadería."),
            new("A padaria de Ana em Cúcuta", "Ana chegou com duas malas. Hoje sua padaria emprega quatro vizinhos, dois deles colombianos.",
                "Ana atravessou a ponte para Cúcuta em 2018 com as duas filhas e o caderno de receitas da mãe.\n\nComeçou vendendo *cachitos* numa caixa térmica na esquina. Uma vizinha colombiana lhe emprestou um forno. Cinco anos depois, a padaria tem placa, quatro funcionários e fila toda manhã.\n\n\"As pessoas me perguntam de onde eu sou\", diz Ana. \"Eu respondo: desta rua.\"",
                "Ana, sorrindo, segura uma bandeja de pães na padaria."),
            new("E panaderia di Ana na Cúcuta", "Ana a yega ku dos maleta. Awe su panaderia ta duna trabou na kuater bisiña, dos di nan kolombiano.",
                "Ana a krusa e brug pa Cúcuta na 2018 ku su dos yu muhé i e buki di reseta di su mama.\n\nEl a kuminsá bende *cachitos* for di un kaha friu na skina. Un bisiña kolombiano a fia e un forno. Sinku aña despues, e panaderia tin bòrchi, kuater empleado i un fila tur mainta.\n\n\"Hende ta puntra mi di unda mi ta\", Ana ta bisa. \"Mi ta bisa nan: di e kaya aki.\"",
                "Ana, ta hari, ta tene un bandeha ku pan den su panaderia.")),
            i => { i.ConsentRecorded = true; i.Anonymisation = Anonymisation.FirstNameOnly; }, null);

        yield return (ContentKind.Story, "PER", L(
            new("The nurse who waits for his papers", "In Lima, \"Luis\" volunteers at a health post while his professional licence is being recognised.",
                "Luis worked for twelve years as a nurse in Maracaibo. In Lima he drove a delivery motorbike at night.\n\nNow he spends his mornings at a community health post, helping with vaccination campaigns while the recognition of his degree moves through the offices. \"Health has no nationality,\" he says.\n\nLuis is a pseudonym: he asked us not to use his real name."),
            new("El enfermero que espera sus papeles", "En Lima, \"Luis\" es voluntario en un puesto de salud mientras le reconocen su título.",
                "Luis trabajó doce años como enfermero en Maracaibo. En Lima manejaba una moto de reparto por las noches.\n\nAhora pasa las mañanas en un puesto de salud comunitario, apoyando campañas de vacunación mientras el reconocimiento de su título avanza por las oficinas. \"La salud no tiene nacionalidad\", dice.\n\nLuis es un seudónimo: nos pidió no usar su nombre real."),
            new("O enfermeiro que espera seus documentos", "Em Lima, \"Luis\" é voluntário num posto de saúde enquanto seu diploma é reconhecido.",
                "Luis trabalhou doze anos como enfermeiro em Maracaibo. Em Lima, pilotava uma moto de entregas à noite.\n\nAgora passa as manhãs num posto de saúde comunitário, ajudando em campanhas de vacinação enquanto o reconhecimento do diploma avança nas repartições. \"A saúde não tem nacionalidade\", diz.\n\nLuis é um pseudônimo: ele pediu que não usássemos seu nome verdadeiro."),
            new("E enfermero ku ta warda su papelnan", "Na Lima, \"Luis\" ta bolontario na un pòst di salú miéntras nan ta rekonosé su diploma.",
                "Luis a traha diesdos aña komo enfermero na Maracaibo. Na Lima e tabata kore un moto di entrega anochi.\n\nAwor e ta pasa su mainta na un pòst di salú di komunidat, yudando ku kampaña di vakunashon miéntras e rekonosimentu di su diploma ta kana den e ofisinanan. \"Salú no tin nashonalidat\", e ta bisa.\n\nLuis ta un pseudónimo: el a pidi nos pa no usa su nòmber real.")),
            i => { i.ConsentRecorded = true; i.Anonymisation = Anonymisation.Pseudonym; }, null);

        yield return (ContentKind.Story, "ECU", L(
            new("A host family in Quito", "Rosa, from Quito, opened her spare room to a Venezuelan mother and son. Three years on, they share Sunday lunch.",
                "Rosa never planned to host anyone. Then her parish asked for help for a mother and a six-year-old boy sleeping at the bus terminal.\n\n\"I thought it would be for a week,\" she laughs. The boy now calls her *abuela*. The mother works in a pharmacy and pays her share of the bills.\n\n\"We are not heroes,\" Rosa says. \"We are neighbours who met.\""),
            new("Una familia de acogida en Quito", "Rosa, quiteña, abrió su cuarto libre a una madre venezolana y su hijo. Tres años después, comparten el almuerzo del domingo.",
                "Rosa nunca pensó en acoger a nadie. Entonces su parroquia pidió ayuda para una madre y un niño de seis años que dormían en el terminal de buses.\n\n\"Pensé que sería una semana\", se ríe. El niño ahora le dice *abuela*. La madre trabaja en una farmacia y paga su parte de las cuentas.\n\n\"No somos héroes\", dice Rosa. \"Somos vecinos que se encontraron\"."),
            new("Uma família de acolhida em Quito", "Rosa, de Quito, abriu o quarto vago para uma mãe venezuelana e o filho. Três anos depois, dividem o almoço de domingo.",
                "Rosa nunca pensou em acolher ninguém. Então sua paróquia pediu ajuda para uma mãe e um menino de seis anos que dormiam no terminal de ônibus.\n\n\"Achei que seria uma semana\", ri. O menino agora a chama de *avó*. A mãe trabalha numa farmácia e paga sua parte das contas.\n\n\"Não somos heróis\", diz Rosa. \"Somos vizinhos que se encontraram.\""),
            new("Un famia di akohida na Quito", "Rosa, di Quito, a habri su kamber liber pa un mama venesolano i su yu. Tres aña despues, nan ta kome huntu djadomingo.",
                "Rosa nunka a pensa di akohé niun hende. Anto su parokia a pidi yudansa pa un mama i un mucha di seis aña ku tabata drumi na e terminal di bùs.\n\n\"Mi a kere ku lo ta pa un siman\", e ta hari. Awor e mucha ta yam'é *wela*. E mama ta traha den un botika i ta paga su parti di e kuentanan.\n\n\"Nos no ta héroe\", Rosa ta bisa. \"Nos ta bisiña ku a topa otro.\"")),
            i => i.ConsentRecorded = true, null);

        yield return (ContentKind.Story, "BRA", L(
            new("From Pacaraima to Manaus", "Carlos walked across the border in Roraima. Today he repairs phones in Manaus and teaches the trade to other newcomers.",
                "Carlos remembers the heat on the road from Pacaraima. He spent two months in a shelter in Boa Vista before a relocation programme took him to Manaus.\n\nWith a loan from a local cooperative he opened a small phone-repair stall. On Saturdays he trains young people, Brazilian and Venezuelan, for free.\n\nAt his request his face is blurred in the photo.",
                "A man, face blurred, repairs a mobile phone at a market stall."),
            new("De Pacaraima a Manaos", "Carlos cruzó la frontera a pie en Roraima. Hoy repara teléfonos en Manaos y enseña el oficio a otros recién llegados.",
                "Carlos recuerda el calor del camino desde Pacaraima. Pasó dos meses en un albergue en Boa Vista antes de que un programa de reubicación lo llevara a Manaos.\n\nCon un préstamo de una cooperativa local abrió un pequeño puesto de reparación de teléfonos. Los sábados forma gratis a jóvenes, brasileños y venezolanos.\n\nA petición suya, su rostro aparece difuminado en la foto.",
                "Un hombre, con el rostro difuminado, repara un teléfono en un puesto de mercado."),
            new("De Pacaraima a Manaus", "Carlos atravessou a fronteira a pé em Roraima. Hoje conserta celulares em Manaus e ensina o ofício a outros recém-chegados.",
                "Carlos lembra o calor da estrada desde Pacaraima. Passou dois meses num abrigo em Boa Vista antes que um programa de interiorização o levasse a Manaus.\n\nCom um empréstimo de uma cooperativa local, abriu uma pequena banca de conserto de celulares. Aos sábados, forma de graça jovens brasileiros e venezuelanos.\n\nA pedido dele, seu rosto aparece desfocado na foto.",
                "Um homem, com o rosto desfocado, conserta um celular numa banca de feira."),
            new("For di Pacaraima pa Manaus", "Carlos a krusa e frontera na pia na Roraima. Awe e ta drecha telefon na Manaus i ta siña otro rekien yegá e ofisio.",
                "Carlos ta kòrda e kalor di e kaminda for di Pacaraima. El a pasa dos luna den un refugio na Boa Vista promé ku un programa di relokalisashon a hib'é Manaus.\n\nKu un fiansa di un kooperativa lokal el a habri un stand chikitu di drecha telefon. Djasabra e ta entrená hóbennan, brasileño i venesolano, grátis.\n\nNa su petishon, su kara ta difuminá den e potrèt.",
                "Un homber, ku su kara difuminá, ta drecha un telefon na un stand di marshe.")),
            i => { i.ConsentRecorded = true; i.Anonymisation = Anonymisation.BlurredPhoto; }, null);

        yield return (ContentKind.Story, "CHL", L(
            new("Football on Sundays in Santiago", "A neighbourhood league in Santiago mixes Chilean, Venezuelan and Haitian players. The rule: every team speaks two languages.",
                "It started with six friends and a borrowed ball in a park in Estación Central. Today the league has twelve teams.\n\nThe organisers made one rule: every team must mix nationalities. \"On the pitch you learn names fast,\" says Daniela, the Chilean referee.\n\nAfter the final whistle there is always *sopaipillas* and *arepas* on the same table."),
            new("Fútbol los domingos en Santiago", "Una liga de barrio en Santiago mezcla jugadores chilenos, venezolanos y haitianos. La regla: cada equipo habla dos idiomas.",
                "Empezó con seis amigos y una pelota prestada en un parque de Estación Central. Hoy la liga tiene doce equipos.\n\nLos organizadores pusieron una sola regla: cada equipo debe mezclar nacionalidades. \"En la cancha los nombres se aprenden rápido\", dice Daniela, la árbitra chilena.\n\nDespués del pitazo final siempre hay sopaipillas y arepas en la misma mesa."),
            new("Futebol aos domingos em Santiago", "Uma liga de bairro em Santiago mistura jogadores chilenos, venezuelanos e haitianos. A regra: cada time fala duas línguas.",
                "Começou com seis amigos e uma bola emprestada num parque de Estación Central. Hoje a liga tem doze times.\n\nOs organizadores criaram uma única regra: cada time precisa misturar nacionalidades. \"Em campo a gente aprende os nomes rápido\", diz Daniela, a árbitra chilena.\n\nDepois do apito final, sempre há *sopaipillas* e *arepas* na mesma mesa."),
            null),
            i => i.ConsentRecorded = true, null);

        yield return (ContentKind.Story, "CUW", L(
            new("Learning Papiamentu in Willemstad", "María teaches Spanish at a community centre in Willemstad, and learns Papiamentu from her students in return.",
                "When María arrived in Curaçao she understood the bus driver only half the time. Papiamentu sounded familiar and foreign at once.\n\nNow she runs an evening exchange: one hour of Spanish, one hour of Papiamentu. Her students are nurses, shop owners and a retired fisherman.\n\n\"Bon nochi\" was the first thing she learned. \"Danki\" came right after."),
            new("Aprendiendo papiamento en Willemstad", "María enseña español en un centro comunitario de Willemstad y, a cambio, aprende papiamento de sus alumnos.",
                "Cuando María llegó a Curazao entendía al chofer del bus solo a medias. El papiamento le sonaba familiar y extraño a la vez.\n\nAhora dirige un intercambio por las tardes: una hora de español, una hora de papiamento. Sus alumnos son enfermeras, comerciantes y un pescador jubilado.\n\n\"Bon nochi\" fue lo primero que aprendió. \"Danki\" llegó justo después."),
            new("Aprendendo papiamento em Willemstad", "María ensina espanhol num centro comunitário de Willemstad e, em troca, aprende papiamento com seus alunos.",
                "Quando María chegou a Curaçao, entendia o motorista do ônibus só pela metade. O papiamento soava familiar e estranho ao mesmo tempo.\n\nAgora ela coordena um intercâmbio à noite: uma hora de espanhol, uma hora de papiamento. Seus alunos são enfermeiras, comerciantes e um pescador aposentado.\n\n\"Bon nochi\" foi a primeira coisa que aprendeu. \"Danki\" veio logo depois."),
            new("Siñando papiamentu na Willemstad", "María ta duna lès di spañó na un sentro di komunidat na Willemstad, i na trueke e ta siña papiamentu di su studiantenan.",
                "Ora María a yega Kòrsou, e tabata komprondé e chofer di bùs mitar di tempu so. Papiamentu tabata zona konosí i straño na mes momento.\n\nAwor e ta dirigí un interkambio anochi: un ora di spañó, un ora di papiamentu. Su studiantenan ta enfermera, doño di tienda i un piskadó retirá.\n\n\"Bon nochi\" tabata e promé kos ku el a siña. \"Danki\" a bini djis despues.")),
            i => { i.ConsentRecorded = true; i.Anonymisation = Anonymisation.FirstNameOnly; }, null);

        foreach (var fact in Facts())
        {
            yield return fact;
        }
        foreach (var other in PressAndVideos())
        {
            yield return other;
        }
    }
}
