"""A CSI driver's name leads to the DaemonSet that registers it on each node."""

import pytest

from faultmaven.domain.service_names import csi_node_plugin_of_driver


@pytest.mark.parametrize(
    ("driver", "plugin"),
    [
        ("ebs.csi.aws.com", "ebs-csi-node"),
        ("pd.csi.storage.gke.io", "pdcsi-node"),
        ("rook-ceph.rbd.csi.ceph.com", "csi-rbdplugin"),
        ("csi.example.internal", "csi.example.internal"),
    ],
)
def test_a_drivers_node_plugin_is_named_or_the_driver_itself(driver: str, plugin: str) -> None:
    assert csi_node_plugin_of_driver(driver) == plugin
