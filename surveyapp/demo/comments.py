"""Comments the synthetic respondents write, typical of each archetype, in English and Spanish."""

COMMENTS: dict[str, dict[str, list[str]]] = {
    "champions": {
        "en": [
            "The AI assistant already saves me an hour a day on reports, more of this please.",
            "Great tools, I would like to share my tips with the rest of the team.",
            "Happy with the pilot, the drafting tool makes customer letters much faster.",
            "Give us access to more AI tools, they help with the routine work.",
            "I use the assistant daily and it has improved the quality of my work.",
        ],
        "es": [
            "El asistente de IA ya me ahorra una hora al día en informes, queremos más.",
            "Herramientas excelentes, me gustaría compartir mis trucos con el equipo.",
            "Contento con el piloto, la herramienta de redacción agiliza las cartas a clientes.",
            "Denos acceso a más herramientas de IA, ayudan con el trabajo rutinario.",
        ],
    },
    "job_security_anxious": {
        "en": [
            "I worry my job will disappear once the AI can do what I do.",
            "Nobody has told us whether there will be redundancies after the rollout.",
            "Feels like we are training the system that will replace us.",
            "What happens to our jobs and contracts when automation takes over?",
            "Afraid of losing my position, management should be honest about job cuts.",
        ],
        "es": [
            "Me preocupa que mi puesto desaparezca cuando la IA haga lo que yo hago.",
            "Nadie nos ha dicho si habrá despidos después de la implantación.",
            "Parece que entrenamos al sistema que nos va a sustituir.",
            "¿Qué pasará con nuestros empleos y contratos cuando llegue la automatización?",
        ],
    },
    "value_sceptics": {
        "en": [
            "I do not see what problem this AI actually solves for our customers.",
            "Another expensive tool that adds nothing, the old process worked fine.",
            "Show me real benefits before asking us to change how we work.",
            "Hype. The results are not better than what we produce by hand.",
        ],
        "es": [
            "No veo qué problema resuelve realmente esta IA para nuestros clientes.",
            "Otra herramienta cara que no aporta nada, el proceso anterior funcionaba bien.",
            "Muéstrennos beneficios reales antes de pedirnos que cambiemos de forma de trabajar.",
            "Mucho ruido. Los resultados no son mejores que lo que hacemos a mano.",
        ],
    },
    "willing_but_unskilled": {
        "en": [
            "I want to use it but I need proper training on how to write prompts.",
            "Please give us hands-on training sessions, the tool is confusing.",
            "Keen to learn, but I do not know where to start with these tools.",
            "More training and simple guides would help me use the assistant.",
            "I tried the tool and got lost, a short course would make a difference.",
        ],
        "es": [
            "Quiero usarla pero necesito formación práctica para escribir instrucciones.",
            "Por favor, organicen sesiones de formación prácticas, la herramienta es confusa.",
            "Tengo ganas de aprender, pero no sé por dónde empezar con estas herramientas.",
            "Más formación y guías sencillas me ayudarían a usar el asistente.",
        ],
    },
    "overloaded": {
        "en": [
            "No time to learn anything new, our workload is already too high.",
            "We are short staffed, learning the AI tool is one more task on top.",
            "Give us protected time for training, we cannot fit it into our shifts.",
            "Targets stay the same while we are asked to learn new systems.",
        ],
        "es": [
            "No hay tiempo para aprender nada nuevo, la carga de trabajo ya es excesiva.",
            "Nos falta personal, aprender la herramienta es una tarea más.",
            "Necesitamos tiempo reservado para formarnos, no cabe en nuestros turnos.",
            "Los objetivos siguen igual mientras nos piden aprender sistemas nuevos.",
        ],
    },
    "trust_and_ethics_concerned": {
        "en": [
            "The AI makes mistakes and invents facts, I cannot trust its answers.",
            "Who checks the model for bias against some customers? Not fair.",
            "Worried about customer data privacy and how decisions are explained.",
            "The output is often wrong, and we get the blame for its errors.",
        ],
        "es": [
            "La IA comete errores e inventa datos, no puedo confiar en sus respuestas.",
            "¿Quién revisa si el modelo discrimina a algunos clientes? No es justo.",
            "Me preocupa la privacidad de los datos de clientes y cómo se explican las decisiones.",
            "Los resultados a menudo son erróneos y la culpa de sus errores es nuestra.",
        ],
    },
    "unsupported": {
        "en": [
            "Our manager never talks about the AI programme, we are left alone.",
            "No support from leadership, questions go unanswered for weeks.",
            "Leaders announce tools but nobody follows up or helps when it breaks.",
            "We need a contact person and backing from management to make this work.",
        ],
        "es": [
            "Nuestro responsable nunca habla del programa de IA, estamos solos.",
            "No hay apoyo de la dirección, las preguntas quedan sin respuesta durante semanas.",
            "Los líderes anuncian herramientas pero nadie hace seguimiento ni ayuda si falla.",
            "Necesitamos una persona de contacto y el respaldo de la dirección.",
        ],
    },
}
