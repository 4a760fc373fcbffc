from accord.platform.capabilities import CapabilityConfig


class DialogueConfig(CapabilityConfig):
    name = "accord.dialogue"
    label = "dialogue"
    default = True  # the app's config (CapabilityConfig is imported here too)
    verbose_name = "Dialogue"
    prefix = "dialogue"
    nav_label = "Dialogue and exercises"
    description = "Strategic consultations, invitations and crisis-management exercises."
    reference_module = "reference"
    home_tasks_module = "hometasks"
