"""The service layer of the missions capability: every read and change goes through here.

One module per sub-domain and side (issue 11, item 7):

- ``register_queries``: the register on a date, one mission's page;
- ``participation_queries`` / ``participation_commands``: the third-state workflow;
- ``forcegen_queries`` / ``forcegen_commands``: statements of requirements, offers, the optimiser;
- ``secondment_queries`` / ``secondment_commands``: civilian seconded posts (EEAS Goalkeeper);
- ``committee_commands``: the PSC decision setting up a Committee of Contributors;
- ``round_commands`` / ``round_queries``: force generation conference rounds;
- ``common``: the registry, the date of the answer, sharing and input checks.

Reads return only what ``accord.platform.policy`` lets the user see. Commands
check permission before anything else (never confirm existence to someone who
may not act), validate the whole input with the pure engine before storing
anything, and store each change with its audit entry in one transaction.
Conversions to the engine live in ``accord.missions.mappers``. This package
re-exports the entry points so the API, web and CLI name one place.
"""

from accord.missions.mappers import as_engine_mission, as_engine_participation  # noqa: F401
from accord.missions.services.committee_commands import set_committee  # noqa: F401
from accord.missions.services.common import (  # noqa: F401
    COUNCIL,
    EEAS,
    StepRefused,
    parse_on,
    registry,
    server_today,
)
from accord.missions.services.forcegen_commands import add_offer, add_requirement  # noqa: F401
from accord.missions.services.forcegen_queries import (  # noqa: F401
    force_generation_for,
    offers_for,
    requirements_for,
    run_forcegen,
)
from accord.missions.services.participation_commands import invite, take_step  # noqa: F401
from accord.missions.services.participation_queries import (  # noqa: F401
    page_permissions,
    participation_for,
    participation_row,
    participations_for,
    state_may_offer,
)
from accord.missions.services.register_queries import (  # noqa: F401
    capability_label,
    mission_for,
    mission_page,
    missions_for,
    visible_missions,
)
from accord.missions.services.round_commands import close_round, open_round, open_round_of  # noqa: F401
from accord.missions.services.round_queries import round_for, round_row, rounds_for  # noqa: F401
from accord.missions.services.secondment_commands import (  # noqa: F401
    apply_for_secondment,
    publish_secondment_call,
    select_secondees,
)
from accord.missions.services.secondment_queries import (  # noqa: F401
    invited_third_states,
    secondment_call_for,
    secondment_call_page,
    secondment_calls_for,
    secondment_totals_for,
)
