def sinkron_peran_setelah_migrate(sender, **kwargs) -> None:
    # Permissions are created app by app during post_migrate; syncing after each
    # app leaves every role complete once the last one has run.
    from dispusip.services import sinkron_peran

    sinkron_peran(strict=False)
